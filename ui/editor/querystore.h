#pragma once

#include <QHash>
#include <QJsonDocument>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace fs::ui {

// Query history per org, named saved queries and the autosave of open editor tabs, kept across
// restarts as JSON files in AppDataLocation (written through QSaveFile: temp file, then rename).
// GUI thread only. Autosave is debounced so typing never waits on the disk. A store file that does
// not parse is moved aside (queries.json → queries.json.corrupt-<UTC stamp>), never overwritten,
// and loadError() says so in plain words; the store then starts empty.
class QueryStore : public QObject {
    Q_OBJECT
public:
    struct TabState {
        QString title;
        QString text;
        QString org;
    };

    // `directory` empty = QStandardPaths::AppDataLocation.
    explicit QueryStore(const QString &directory = {}, QObject *parent = nullptr);
    ~QueryStore() override;

    QString directory() const { return m_dir; }

    void addHistory(const QString &org, const QString &soql); // newest first, de-duplicated, bounded
    QStringList history(const QString &org) const;

    void saveQuery(const QString &name, const QString &soql);
    void removeQuery(const QString &name);
    QStringList savedNames() const;
    QString savedQuery(const QString &name) const;

    // Autosave of the open tabs: call on every change; written at most every `autosaveDelayMs`.
    void setTabs(const QList<TabState> &tabs);
    QList<TabState> restoredTabs() const; // what the last run left (after a crash too)
    void flush(); // writes pending autosave at once (on close)
    void setAutosaveDelay(int ms) { m_timer.setInterval(ms); }
    int autosaveDelay() const { return m_timer.interval(); }
    bool autosavePending() const { return m_timer.isActive(); }

    // Empty when every store file loaded; otherwise which file was unreadable and where it was kept.
    QString loadError() const { return m_loadErrors.join(QLatin1Char('\n')); }

    static constexpr int kMaxHistory = 200;

Q_SIGNALS:
    void historyChanged(const QString &org);
    void savedChanged();
    void tabsAutosaved(); // the open tabs are on disk (debounced autosave or flush)

private:
    void load();
    QJsonDocument readStoreFile(const QString &fileName);
    void writeStore() const;
    void writeTabs();

    QString m_dir;
    QHash<QString, QStringList> m_history;
    QList<QPair<QString, QString>> m_saved;
    QList<TabState> m_tabs;
    QList<TabState> m_restored;
    QTimer m_timer;
    QStringList m_loadErrors;
};

} // namespace fs::ui
