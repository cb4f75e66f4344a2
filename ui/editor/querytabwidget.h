#pragma once

#include "api/types.h"

#include <QHash>
#include <QKeySequence>
#include <QWidget>

class QAction;
class QLabel;
class QToolButton;

namespace fs {
class EngineClient;
}

namespace fs::ui {

class DescribeCache;
class GridExporter;
class QueryStore;
class RecordGridWidget;
class SoqlEditor;

// One editor tab: SOQL editor above, streaming results below. Runs through EngineClient and keeps
// only answers carrying its own request id. GUI thread only.
//
// Keyboard (active while the focus is inside the tab; listed in the tab's "Results" menu and in
// the buttons' tooltips): Esc cancels the running query, Ctrl+F filters the loaded rows,
// Ctrl+C copies the selected cells as TSV, Ctrl+E / Ctrl+Shift+E export CSV / JSON,
// Ctrl+S saves the pending edits, Ctrl+Shift+P previews them. Run (Ctrl+Enter), new/close tab
// (Ctrl+T / Ctrl+W) and the schema filter (Ctrl+P) are window actions of MainWindow.
class QueryTabWidget : public QWidget {
    Q_OBJECT
public:
    QueryTabWidget(fs::EngineClient *client, DescribeCache *cache, QueryStore *store, QWidget *parent = nullptr);
    ~QueryTabWidget() override;

    SoqlEditor *editor() const { return m_editor; }
    RecordGridWidget *grid() const { return m_grid; }
    QString text() const;
    void setText(const QString &soql);
    void setOrg(const QString &alias) { m_org = alias; }
    bool isRunning() const { return m_request != 0; }
    QString title() const;

    enum class Outcome { None, Running, Succeeded, Failed, Cancelled };
    Outcome outcome() const { return m_outcome; }
    QString messageText() const; // the line beside Run/Cancel ("Cancelled — 400 rows kept", errors…)

    // The tab's keyboard actions by name: "cancel", "filter", "copy", "exportCsv", "exportJson",
    // "saveEdits", "previewEdits". Null for an unknown name.
    QAction *action(const QString &name) const;
    QList<QAction *> keyboardActions() const;

    // Export the loaded rows (asks for a file unless a path is given; the file is written off the
    // GUI thread) → exportFinished.
    void exportResults(bool json, const QString &path = {});
    // Tests: answer the export file dialog with this path instead of showing it.
    void setExportPathForTests(const QString &path) { m_testExportPath = path; }
    // Opens the pending-edits preview (record, field, old → new) of the results. Returns the dialog.
    QWidget *previewPendingEdits();

public Q_SLOTS:
    void run();
    void cancel();

Q_SIGNALS:
    void titleChanged(const QString &title);
    void statusMessage(const QString &message);
    void textEdited();
    void queryStarted();
    void queryFinished(bool ok); // succeeded or failed
    void queryCancelled(); // stopped by the user (Esc / Cancel): the rows received so far stay
    void exportFinished(const QString &path, const QString &error);

private:
    void setRunning(bool running);
    void buildActions();
    QAction *addKeyAction(const QString &name, const QString &text, const QKeySequence &key);

    fs::EngineClient *m_client = nullptr;
    DescribeCache *m_cache = nullptr;
    QueryStore *m_store = nullptr;
    SoqlEditor *m_editor = nullptr;
    RecordGridWidget *m_grid = nullptr;
    QToolButton *m_runButton = nullptr;
    QToolButton *m_cancelButton = nullptr;
    QToolButton *m_resultsButton = nullptr;
    QLabel *m_message = nullptr;
    GridExporter *m_exporter = nullptr;
    QHash<QString, QAction *> m_actions;
    QList<QAction *> m_actionOrder;
    QString m_testExportPath;
    Outcome m_outcome = Outcome::None;
    fs::RequestId m_request = 0;
    QString m_org;
    QString m_lastTitle;
};

} // namespace fs::ui
