#pragma once

#include "api/types.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace fs {
class EngineClient;
}

namespace fs::ui {

// The UI's copy of the org's describes, fed through EngineClient (GUI thread only). Completion,
// the schema browser and the grid's editability all read from here; a describe is requested once.
class DescribeCache : public QObject {
    Q_OBJECT
public:
    explicit DescribeCache(fs::EngineClient *client, QObject *parent = nullptr);

    void clear();
    void requestGlobal();
    // Requests the describe unless cached or already in flight.
    void request(const QString &sobject);

    bool hasGlobal() const { return m_hasGlobal; }
    const QList<fs::SObjectSummary> &objects() const { return m_objects; }
    QStringList objectNames() const;
    bool isKnownObject(const QString &name) const;
    const fs::SObjectDescribe *describe(const QString &sobject) const; // nullptr when not cached

    // Inserts a describe directly (tests; and cached data handed over by other widgets).
    void insert(const fs::SObjectDescribe &describe);
    void setObjects(const QList<fs::SObjectSummary> &objects);

Q_SIGNALS:
    void globalReady();
    void describeReady(const QString &sobject);
    void describeFailed(const QString &sobject, const QString &message);

private:
    fs::EngineClient *m_client = nullptr;
    bool m_hasGlobal = false;
    fs::RequestId m_globalRequest = 0;
    QList<fs::SObjectSummary> m_objects;
    QHash<QString, fs::SObjectDescribe> m_describes; // lower-case name
    QHash<fs::RequestId, QString> m_inFlight;
};

} // namespace fs::ui
