#pragma once

#include "api/types.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QSplitter;
class QToolButton;
class QTimer;

namespace fs {
class EngineClient;
}

namespace fs::ui {

class DescribeCache;
class RecordDetailModel;
class RecordTableModel;
class StatusLine;

// Results of one query: the streaming grid, "fetched N of M", filter box, copy/export, the record
// detail pane and inline edit with conflict-checked save. GUI thread only. With a client it can
// save edits and fetch child pages; without one (nested grids of a finished page) it is read-only.
class RecordGridWidget : public QWidget {
    Q_OBJECT
public:
    explicit RecordGridWidget(fs::EngineClient *client, DescribeCache *cache, QWidget *parent = nullptr);
    ~RecordGridWidget() override;

    RecordTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    // Starts a new result set (clears rows and pending edits).
    void beginResult();
    // Queues the page; queued pages enter the model together on the next flush (~30 ms), so a
    // fast stream costs the GUI one insert per flush instead of one per page.
    void appendPage(const fs::QueryPage &page);
    void flushPages();
    void appendBatch(const fs::RecordBatch &batch); // nested grids: one finished batch
    void finishResult(const fs::QueryStats &stats);
    void failResult(const QString &message);

    qint64 fetched() const { return m_fetched; }
    qint64 totalSize() const { return m_total; }
    QString statusText() const;

    // Copies the selected cells as TSV (header row included when whole rows are selected).
    void copySelection();
    // Writes every loaded (filtered/sorted) row; returns an error message or empty on success.
    QString exportCsv(const QString &path) const;
    QString exportJson(const QString &path) const;

    // Saves the pending edits through the engine. → saveFinished
    void savePending();
    void discardPending();
    // Conflict handling policy hook for tests: when set, no dialog is shown and this answer is used
    // (true = keep mine, false = take theirs).
    void setConflictAnswerForTests(int answer) { m_testConflictAnswer = answer; }

    // Opens the nested grid for a Child cell (row/column of the view). Returns the dialog.
    QWidget *openChildGrid(int row, int column);

Q_SIGNALS:
    void statusChanged(const QString &text);
    void saveFinished(int succeeded, int failed, int conflicts);
    void conflictShown(const QString &recordId);
    void childGridOpened(QWidget *dialog);

private:
    void updateStatus();
    void updateEditability();
    void onCurrentChanged();
    void rememberPosition();
    void restorePosition();
    void onConflict(const fs::RecordConflict &conflict);
    void exportWithDialog(bool json);
    void sizeColumnsFromSample();

    fs::EngineClient *m_client = nullptr;
    DescribeCache *m_cache = nullptr;
    RecordTableModel *m_model = nullptr;
    RecordDetailModel *m_detail = nullptr;
    QTableView *m_view = nullptr;
    QTableView *m_detailView = nullptr;
    QSplitter *m_splitter = nullptr;
    QLineEdit *m_filter = nullptr;
    StatusLine *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_discard = nullptr;
    QList<fs::QueryPage> m_queue;
    QTimer *m_flushTimer = nullptr;
    qint64 m_fetched = 0;
    qint64 m_total = 0;
    bool m_running = false;
    bool m_columnsSized = false;
    QString m_error;
    fs::RequestId m_saveRequest = 0;
    QHash<fs::RequestId, QString> m_refreshRequests; // getRecord id → record id
    int m_testConflictAnswer = -1;
    // Kept across a sort/filter reset (rememberPosition → restorePosition).
    int m_keepSource = -1; // source row of the current record, -1 when none
    int m_keepColumn = 0;
    bool m_keepSelected = false;
    int m_keepScroll = 0;
    // Where the rows came from (QueryPage::origin; for a nested grid, its child cursor): a Child
    // cell's rows are fetched with m_origin.descend(…), which survives a dead child locator.
    fs::ChildCursor m_origin;
};

} // namespace fs::ui
