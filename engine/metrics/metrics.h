#pragma once

#include <QList>
#include <QMutex>
#include <QPair>
#include <QString>

#include <map>
#include <memory>
#include <vector>

namespace fs::engine {

// Counters, gauges and histograms with labels, exported as Prometheus text (format 0.0.4).
// Thread-safe (one mutex): the transport records from the engine thread, bulk/event code may
// record from elsewhere. Label values must not hold secrets or record values.
class Metrics {
public:
    using Labels = QList<QPair<QString, QString>>; // name → value, in declaration order

    enum class Type { Counter, Gauge, Histogram };

    Metrics(); // registers the sf_* families below
    ~Metrics();
    Metrics(const Metrics &) = delete;
    Metrics &operator=(const Metrics &) = delete;

    // The process-wide registry the engine uses unless a test passes its own.
    static std::shared_ptr<Metrics> global();

    // Declares a family (HELP/TYPE lines). Re-registering the same name is a no-op. Histograms
    // take their upper bucket bounds (ascending; +Inf is implied).
    void registerFamily(const QString &name, const QString &help, Type type, const std::vector<double> &buckets = {});

    void increment(const QString &name, const Labels &labels, double by = 1.0);
    void setGauge(const QString &name, const Labels &labels, double value);
    void observe(const QString &name, const Labels &labels, double value);

    // The transport's metrics, with the names of issue 4.
    void recordRequest(const QString &operation, const QString &sobject, int status, double seconds);
    void recordError(const QString &operation, const QString &errorCode, bool retryable);
    void recordTokenRefresh(bool success);
    void setRateLimit(const QString &limitType, qint64 remaining, double percentUsed);

    // For tests and the CLI: the current value of a counter/gauge sample (0 when absent), or a
    // histogram's observation count.
    double value(const QString &name, const Labels &labels) const;

    QString prometheusText() const;
    void reset(); // drops every sample, keeps the families

private:
    struct Sample {
        double value = 0.0; // counter/gauge value, histogram sum
        quint64 count = 0; // histogram observations
        std::vector<quint64> buckets; // histogram: per-bucket counts (not cumulative)
    };
    struct Family {
        QString help;
        Type type = Type::Counter;
        std::vector<double> bounds;
        std::map<QString, std::pair<Labels, Sample>> samples; // key: rendered label set
    };

    Family *family(const QString &name, Type type); // registers an undocumented family if needed

    mutable QMutex m_mutex;
    std::map<QString, Family> m_families;
};

} // namespace fs::engine
