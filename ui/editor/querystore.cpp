#include "querystore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace fs::ui {

namespace {
void writeJson(const QString &path, const QJsonDocument &doc)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return;
    f.write(doc.toJson(QJsonDocument::Indented));
    f.commit();
}
} // namespace

QueryStore::QueryStore(const QString &directory, QObject *parent)
    : QObject(parent)
    , m_dir(directory.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : directory)
{
    QDir().mkpath(m_dir);
    m_timer.setSingleShot(true);
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &QueryStore::writeTabs);
    load();
}

QueryStore::~QueryStore()
{
    flush();
}

QJsonDocument QueryStore::readStoreFile(const QString &fileName)
{
    const QString path = QDir(m_dir).filePath(fileName);
    QFile f(path);
    if (!f.exists())
        return {};
    if (!f.open(QIODevice::ReadOnly)) {
        m_loadErrors.append(tr("Could not read %1: %2").arg(QDir::toNativeSeparators(path), f.errorString()));
        return {};
    }
    const QByteArray bytes = f.readAll();
    f.close();
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    const bool expectArray = fileName == u"autosave.json";
    if (parseError.error == QJsonParseError::NoError && (expectArray ? doc.isArray() : doc.isObject()))
        return doc;
    // Keep the damaged file for the user (it may hold queries worth rescuing); the store starts
    // empty and the next write creates a fresh file beside it.
    const QString aside = path + QStringLiteral(".corrupt-")
        + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString reason = parseError.error != QJsonParseError::NoError
        ? tr("%1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)
        : tr("unexpected JSON layout");
    if (QFile::rename(path, aside)) {
        m_loadErrors.append(tr("%1 is damaged (%2); it was kept as %3 and a new one was started.")
                                .arg(QDir::toNativeSeparators(path), reason, QDir::toNativeSeparators(aside)));
    } else {
        m_loadErrors.append(tr("%1 is damaged (%2) and could not be moved aside.").arg(QDir::toNativeSeparators(path), reason));
    }
    qWarning("QueryStore: %s", qPrintable(m_loadErrors.constLast()));
    return {};
}

void QueryStore::load()
{
    const QJsonObject root = readStoreFile(QStringLiteral("queries.json")).object();
    const QJsonObject hist = root.value(QStringLiteral("history")).toObject();
    for (auto it = hist.begin(); it != hist.end(); ++it) {
        QStringList list;
        for (const QJsonValue &v : it.value().toArray())
            list.append(v.toString());
        m_history.insert(it.key(), list);
    }
    for (const QJsonValue &v : root.value(QStringLiteral("saved")).toArray()) {
        const QJsonObject o = v.toObject();
        m_saved.append({ o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("soql")).toString() });
    }
    const QJsonArray tabs = readStoreFile(QStringLiteral("autosave.json")).array();
    for (const QJsonValue &v : tabs) {
        const QJsonObject o = v.toObject();
        m_restored.append({ o.value(QStringLiteral("title")).toString(), o.value(QStringLiteral("text")).toString(),
            o.value(QStringLiteral("org")).toString() });
    }
    m_tabs = m_restored;
}

void QueryStore::writeStore() const
{
    QJsonObject hist;
    for (auto it = m_history.cbegin(); it != m_history.cend(); ++it)
        hist.insert(it.key(), QJsonArray::fromStringList(it.value()));
    QJsonArray saved;
    for (const auto &s : m_saved)
        saved.append(QJsonObject { { QStringLiteral("name"), s.first }, { QStringLiteral("soql"), s.second } });
    writeJson(QDir(m_dir).filePath(QStringLiteral("queries.json")),
        QJsonDocument(QJsonObject { { QStringLiteral("history"), hist }, { QStringLiteral("saved"), saved } }));
}

void QueryStore::writeTabs()
{
    QJsonArray arr;
    for (const TabState &t : m_tabs) {
        arr.append(QJsonObject {
            { QStringLiteral("title"), t.title }, { QStringLiteral("text"), t.text }, { QStringLiteral("org"), t.org } });
    }
    writeJson(QDir(m_dir).filePath(QStringLiteral("autosave.json")), QJsonDocument(arr));
    Q_EMIT tabsAutosaved();
}

void QueryStore::addHistory(const QString &org, const QString &soql)
{
    const QString q = soql.trimmed();
    if (q.isEmpty())
        return;
    QStringList &list = m_history[org];
    list.removeAll(q);
    list.prepend(q);
    while (list.size() > kMaxHistory)
        list.removeLast();
    writeStore();
    Q_EMIT historyChanged(org);
}

QStringList QueryStore::history(const QString &org) const
{
    return m_history.value(org);
}

void QueryStore::saveQuery(const QString &name, const QString &soql)
{
    for (auto &s : m_saved) {
        if (s.first == name) {
            s.second = soql;
            writeStore();
            Q_EMIT savedChanged();
            return;
        }
    }
    m_saved.append({ name, soql });
    writeStore();
    Q_EMIT savedChanged();
}

void QueryStore::removeQuery(const QString &name)
{
    m_saved.removeIf([&name](const QPair<QString, QString> &s) { return s.first == name; });
    writeStore();
    Q_EMIT savedChanged();
}

QStringList QueryStore::savedNames() const
{
    QStringList names;
    for (const auto &s : m_saved)
        names.append(s.first);
    return names;
}

QString QueryStore::savedQuery(const QString &name) const
{
    for (const auto &s : m_saved) {
        if (s.first == name)
            return s.second;
    }
    return {};
}

void QueryStore::setTabs(const QList<TabState> &tabs)
{
    m_tabs = tabs;
    m_timer.start();
}

QList<QueryStore::TabState> QueryStore::restoredTabs() const
{
    return m_restored;
}

void QueryStore::flush()
{
    if (m_timer.isActive()) {
        m_timer.stop();
        writeTabs();
    }
}

} // namespace fs::ui
