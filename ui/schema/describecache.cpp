#include "describecache.h"

#include "api/engineclient.h"

namespace fs::ui {

DescribeCache::DescribeCache(fs::EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    if (!m_client)
        return;
    connect(m_client, &fs::EngineClient::globalDescribeReady, this,
        [this](fs::RequestId id, const QList<fs::SObjectSummary> &objects) {
            if (id != m_globalRequest)
                return;
            m_globalRequest = 0;
            setObjects(objects);
        });
    connect(m_client, &fs::EngineClient::sobjectDescribed, this,
        [this](fs::RequestId id, const fs::SObjectDescribe &d) {
            if (!m_inFlight.contains(id))
                return;
            m_inFlight.remove(id);
            insert(d);
        });
    connect(m_client, &fs::EngineClient::requestFailed, this, [this](fs::RequestId id, const fs::EngineError &e) {
        if (id == m_globalRequest)
            m_globalRequest = 0;
        const QString name = m_inFlight.take(id);
        if (!name.isEmpty())
            Q_EMIT describeFailed(name, e.message);
    });
}

void DescribeCache::clear()
{
    m_hasGlobal = false;
    m_objects.clear();
    m_describes.clear();
    m_inFlight.clear();
    m_globalRequest = 0;
}

void DescribeCache::requestGlobal()
{
    if (m_client && m_globalRequest == 0)
        m_globalRequest = m_client->describeGlobal();
}

void DescribeCache::request(const QString &sobject)
{
    const QString key = sobject.toLower();
    if (key.isEmpty() || m_describes.contains(key) || !m_client)
        return;
    for (const QString &n : std::as_const(m_inFlight)) {
        if (n.toLower() == key)
            return;
    }
    m_inFlight.insert(m_client->describeSObject(sobject), sobject);
}

QStringList DescribeCache::objectNames() const
{
    QStringList names;
    names.reserve(m_objects.size());
    for (const fs::SObjectSummary &o : m_objects)
        names.append(o.name);
    return names;
}

bool DescribeCache::isKnownObject(const QString &name) const
{
    for (const fs::SObjectSummary &o : m_objects) {
        if (o.name.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return m_describes.contains(name.toLower());
}

const fs::SObjectDescribe *DescribeCache::describe(const QString &sobject) const
{
    auto it = m_describes.constFind(sobject.toLower());
    return it == m_describes.cend() ? nullptr : &*it;
}

void DescribeCache::insert(const fs::SObjectDescribe &d)
{
    m_describes.insert(d.summary.name.toLower(), d);
    Q_EMIT describeReady(d.summary.name);
}

void DescribeCache::setObjects(const QList<fs::SObjectSummary> &objects)
{
    m_objects = objects;
    m_hasGlobal = true;
    Q_EMIT globalReady();
}

} // namespace fs::ui
