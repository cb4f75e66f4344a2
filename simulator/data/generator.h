#pragma once

#include <QDate>
#include <QString>

namespace fs::sim {

class Store;

// Believable demo data (companies, people, deals, cases, leads, invoices), deterministic by seed.
// Scale 1.0 writes about 40,000 records; record counts grow linearly with scale.
class DataGenerator {
public:
    struct Counts {
        qint64 users = 0, accounts = 0, contacts = 0, opportunities = 0, cases = 0, leads = 0, invoices = 0;
        qint64 total() const { return users + accounts + contacts + opportunities + cases + leads + invoices; }
    };
    static Counts countsFor(double scale);

    // anchor: "today" for generated dates (default: the current UTC date).
    static qint64 generate(Store &store, quint64 seed, double scale, QString *error, QDate anchor = {});
};

} // namespace fs::sim
