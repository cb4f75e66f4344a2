#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace fs::ui {

// Query history per org, named saved queries and the autosave of open editor tabs, kept across
// restarts as JSON files in AppDataLocation (written through QSaveFile: temp file, then rename).
// GUI thread only. Autosave is debounced so typing never waits on the disk.
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

    static constexpr int kMaxHistory = 200;

Q_SIGNALS:
    void historyChanged(const QString &org);
    void savedChanged();

private:
    void load();
    void writeStore() const;
    void writeTabs() const;

    QString m_dir;
    QHash<QString, QStringList> m_history;
    QList<QPair<QString, QString>> m_saved;
    QList<TabState> m_tabs;
    QList<TabState> m_restored;
    QTimer m_timer;
};

} // namespace fs::ui
