#include "recordgridwidget.h"

#include "conflictdialog.h"
#include "recordcelldelegate.h"
#include "recorddetailmodel.h"
#include "recordtablemodel.h"
#include "recordtableview.h"
#include "rownumberheader.h"
#include "statusline.h"
#include "panels/gridexporter.h"
#include "schema/describecache.h"

#include "api/engineclient.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace fs::ui {

namespace {

// One TSV cell as spreadsheets read pasted text: a value holding a tab, a line break or a double
// quote is put in double quotes with inner quotes doubled (Excel, LibreOffice and Google Sheets
// all paste that back as one cell with the tab/newline kept); anything else goes as it is.
QString tsvField(const QString &s)
{
    const bool needsQuotes = s.contains(QLatin1Char('\t')) || s.contains(QLatin1Char('\n'))
        || s.contains(QLatin1Char('\r')) || s.contains(QLatin1Char('"'));
    if (!needsQuotes)
        return s;
    QString q = s;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

RecordGridWidget::RecordGridWidget(fs::EngineClient *client, DescribeCache *cache, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_cache(cache)
    , m_model(new RecordTableModel(this))
    , m_detail(new RecordDetailModel(this))
{
    setObjectName(QStringLiteral("RecordGridWidget"));
    m_flushTimer = new QTimer(this);
    m_flushTimer->setObjectName(QStringLiteral("gridFlushTimer"));
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(30);
    connect(m_flushTimer, &QTimer::timeout, this, &RecordGridWidget::flushPages);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("gridFilter"));
    m_filter->setPlaceholderText(tr("Filter loaded rows…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(260);
    bar->addWidget(m_filter);
    // A long server message never widens the window: the line elides and the full text lives
    // in the tooltip. Changing the text does not relayout the grid (see StatusLine).
    m_status = new StatusLine(this);
    m_status->setText(tr("No results"));
    m_status->setObjectName(QStringLiteral("gridStatus"));
    bar->addWidget(m_status, 1);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("gridProgress"));
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    bar->addWidget(m_progress);
    m_save = new QPushButton(tr("Save"), this);
    m_save->setObjectName(QStringLiteral("saveEdits"));
    m_save->setToolTip(tr("Save pending edits (Ctrl+S)"));
    m_save->setEnabled(false);
    m_discard = new QPushButton(tr("Discard"), this);
    m_discard->setObjectName(QStringLiteral("discardEdits"));
    m_discard->setEnabled(false);
    bar->addWidget(m_save);
    bar->addWidget(m_discard);
    auto *copyButton = new QPushButton(tr("Copy"), this);
    copyButton->setToolTip(tr("Copy the selected cells as tab-separated text (Ctrl+C)"));
    auto *csvButton = new QPushButton(tr("CSV…"), this);
    csvButton->setToolTip(tr("Export the loaded rows as CSV"));
    auto *jsonButton = new QPushButton(tr("JSON…"), this);
    jsonButton->setToolTip(tr("Export the loaded rows as JSON"));
    bar->addWidget(copyButton);
    bar->addWidget(csvButton);
    bar->addWidget(jsonButton);
    layout->addLayout(bar);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    // Appended rows below the visible ones do not repaint the viewport (RecordTableView), and
    // cells are painted without the style's per-cell text layout (RecordCellDelegate).
    m_view = new RecordTableView(m_splitter);
    m_view->setObjectName(QStringLiteral("recordGrid"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new RecordCellDelegate(m_view));
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
        | QAbstractItemView::AnyKeyPressed);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Uniform row heights: the view never measures rows, so a million rows scroll smoothly; the
    // row-number header sizes itself from the digit count, not by measuring sections.
    m_view->setVerticalHeader(new RowNumberHeader(m_view));
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setSortIndicatorShown(true);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->horizontalHeader()->setSectionsClickable(true);
    connect(m_view->horizontalHeader(), &QHeaderView::sortIndicatorChanged, m_model,
        [this](int section, Qt::SortOrder order) { m_model->sort(section, order); });

    m_detailView = new QTableView(m_splitter);
    m_detailView->setObjectName(QStringLiteral("recordDetail"));
    m_detailView->setModel(m_detail);
    m_detailView->verticalHeader()->hide();
    m_detailView->horizontalHeader()->setStretchLastSection(true);
    m_detailView->setWordWrap(false);
    m_detailView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detailView);
    m_splitter->setStretchFactor(0, 4);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 800, 240 });
    layout->addWidget(m_splitter, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &RecordGridWidget::onCurrentChanged);
    // A sort or filter resets the model: remember the current record (or the scroll position)
    // before, and bring it back into view after.
    connect(m_model, &RecordTableModel::modelAboutToBeReset, this, &RecordGridWidget::rememberPosition);
    connect(m_model, &RecordTableModel::modelReset, this, &RecordGridWidget::restorePosition);
    connect(m_model, &RecordTableModel::modelReset, this, &RecordGridWidget::onCurrentChanged);
    connect(m_model, &RecordTableModel::dataChanged, this, &RecordGridWidget::onCurrentChanged);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.data(RecordTableModel::CellTypeRole).toInt() == int(fs::RecordBatch::CellType::Child))
            openChildGrid(index.row(), index.column());
    });
    connect(m_filter, &QLineEdit::textChanged, m_model, &RecordTableModel::setFilterText);
    connect(m_model, &RecordTableModel::busyChanged, this, [this](bool) { updateStatus(); });
    connect(m_model, &RecordTableModel::arrangeFinished, this, &RecordGridWidget::updateStatus);
    connect(m_model, &RecordTableModel::pendingChanged, this, [this](int cells) {
        m_save->setEnabled(cells > 0 && m_client);
        m_discard->setEnabled(cells > 0);
        m_save->setText(cells > 0 ? tr("Save %n change(s)", nullptr, cells) : tr("Save"));
        updateStatus();
    });
    connect(m_save, &QPushButton::clicked, this, &RecordGridWidget::savePending);
    connect(m_discard, &QPushButton::clicked, this, &RecordGridWidget::discardPending);
    connect(copyButton, &QPushButton::clicked, this, &RecordGridWidget::copySelection);
    connect(csvButton, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
    connect(jsonButton, &QPushButton::clicked, this, [this] { exportWithDialog(true); });

    auto *copyAction = new QAction(tr("Copy"), this);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copyAction, &QAction::triggered, this, &RecordGridWidget::copySelection);
    m_view->addAction(copyAction);
    auto *saveAction = new QAction(tr("Save edits"), this);
    saveAction->setShortcut(QKeySequence::Save);
    saveAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(saveAction, &QAction::triggered, this, &RecordGridWidget::savePending);
    addAction(saveAction);
    auto *filterAction = new QAction(tr("Filter rows"), this);
    filterAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    filterAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(filterAction, &QAction::triggered, m_filter, [this] { m_filter->setFocus(); });
    addAction(filterAction);

    if (m_client) {
        connect(m_client, &fs::EngineClient::recordSaved, this, [this](fs::RequestId id, const fs::SaveResult &r) {
            if (id != m_saveRequest)
                return;
            if (r.success) {
                const QString type = m_model->sobjectType();
                m_model->commitPending(r.id);
                // The save moved SystemModstamp: fetch it, so the next edit is checked against it.
                m_refreshRequests.insert(m_client->getRecord(type, r.id, { QStringLiteral("SystemModstamp") }), r.id);
            } else {
                QStringList msgs;
                for (const fs::EngineError &e : r.errors)
                    msgs.append(e.message.isEmpty() ? e.errorCode : e.message);
                m_error = tr("%1 was not saved: %2").arg(r.id, msgs.join(QStringLiteral("; ")));
                updateStatus();
            }
        });
        connect(m_client, &fs::EngineClient::recordReady, this, [this](fs::RequestId id, const fs::RecordBatch &b) {
            const QString recordId = m_refreshRequests.take(id);
            if (recordId.isEmpty() || b.rowCount() == 0)
                return;
            const int c = b.columnIndex(QStringLiteral("SystemModstamp"));
            if (c >= 0)
                m_model->applyServerValues(recordId, {}, b.text(0, c));
        });
        connect(m_client, &fs::EngineClient::updateConflict, this,
            [this](fs::RequestId id, const fs::RecordConflict &c) {
                if (id == m_saveRequest)
                    onConflict(c);
            });
        connect(m_client, &fs::EngineClient::updatesFinished, this,
            [this](fs::RequestId id, int ok, int failed, int conflicts) {
                if (id != m_saveRequest)
                    return;
                m_saveRequest = 0;
                if (failed == 0 && conflicts == 0)
                    m_error.clear();
                updateStatus();
                Q_EMIT saveFinished(ok, failed, conflicts);
            });
        connect(m_client, &fs::EngineClient::requestFailed, this, [this](fs::RequestId id, const fs::EngineError &e) {
            m_refreshRequests.remove(id);
            if (id != m_saveRequest)
                return;
            m_saveRequest = 0;
            m_error = tr("Save failed: %1").arg(e.message);
            updateStatus();
            Q_EMIT saveFinished(0, 1, 0);
        });
    }
    if (m_cache) {
        connect(m_cache, &DescribeCache::describeReady, this, [this](const QString &name) {
            if (name.compare(m_model->sobjectType(), Qt::CaseInsensitive) == 0)
                updateEditability();
        });
    }
}

RecordGridWidget::~RecordGridWidget() = default;

void RecordGridWidget::beginResult()
{
    m_queue.clear();
    m_flushTimer->stop();
    m_model->clear();
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_filter->clear();
    m_fetched = 0;
    m_total = 0;
    m_running = true;
    m_columnsSized = false;
    m_error.clear();
    m_progress->setRange(0, 0); // busy until the first page says how many
    m_progress->setVisible(true);
    updateStatus();
}

void RecordGridWidget::appendPage(const fs::QueryPage &page)
{
    if (page.pageIndex == 0)
        m_origin = page.origin;
    m_queue.append(page);
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void RecordGridWidget::flushPages()
{
    m_flushTimer->stop();
    m_flushTimer->setInterval(30);
    if (m_queue.isEmpty())
        return;
    // Every queued page enters in one insert. What a flush costs the GUI is per flush, not per
    // row: one beginInsertRows, one geometry update of the view (scroll range, row header) and
    // a repaint of the appended rows only where they are on screen (RecordTableView); storing a
    // page is an implicitly shared copy. Fewer, larger flushes are cheaper than many small ones.
    const int take = int(m_queue.size());
    QList<fs::RecordBatch> batches;
    batches.reserve(take);
    for (int i = 0; i < take; ++i)
        batches.append(m_queue.at(i).batch);
    const fs::QueryPage last = m_queue.at(take - 1);
    m_queue.remove(0, take);

    const bool first = m_model->columnCount() == 0;
    m_model->appendBatches(batches);
    m_fetched = last.fetched > 0 ? last.fetched : m_model->loadedRows();
    m_total = std::max<qint64>(last.totalSize, m_fetched);
    if (first || !m_columnsSized)
        sizeColumnsFromSample();
    if (first)
        updateEditability();
    if (m_total > 0) {
        // QProgressBar takes int: scale to per-mille.
        // QProgressBar::setValue repaints synchronously, and a synchronous repaint paints every
        // dirty widget of the window (the grid too) inside this flush; with updates off for the
        // call, the bar joins the next regular (coalesced) paint instead.
        m_progress->setUpdatesEnabled(false);
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000.0 * double(m_fetched) / double(m_total)));
        m_progress->setUpdatesEnabled(true); // schedules an ordinary update()
    }
    updateStatus();
}

void RecordGridWidget::appendBatch(const fs::RecordBatch &batch)
{
    fs::QueryPage page;
    page.batch = batch;
    qint64 queued = 0;
    for (const fs::QueryPage &p : std::as_const(m_queue))
        queued += p.batch.rowCount();
    page.fetched = m_model->loadedRows() + queued + batch.rowCount();
    page.totalSize = std::max<qint64>(batch.totalSize(), page.fetched);
    // A bare batch says nothing of where its rows came from: keep the cursor already set.
    page.origin = m_origin;
    appendPage(page);
}

void RecordGridWidget::finishResult(const fs::QueryStats &stats)
{
    while (!m_queue.isEmpty())
        flushPages();
    m_running = false;
    m_progress->setVisible(false);
    if (m_total < m_fetched)
        m_total = m_fetched;
    m_error.clear();
    if (stats.pages > 0)
        m_status->setProperty("seconds", stats.seconds);
    updateStatus();
}

void RecordGridWidget::failResult(const QString &message)
{
    while (!m_queue.isEmpty())
        flushPages();
    m_running = false;
    m_progress->setVisible(false);
    m_error = message;
    updateStatus();
}

QString RecordGridWidget::statusText() const
{
    QString text;
    if (m_model->columnCount() == 0 && !m_running)
        text = tr("No results");
    else
        text = tr("Fetched %L1 of %L2").arg(m_fetched).arg(m_total);
    if (!m_running && m_model->columnCount() > 0) {
        const double secs = m_status->property("seconds").toDouble();
        if (secs > 0)
            text += tr(" in %1 s").arg(secs, 0, 'f', 2);
    }
    if (m_model->isBusy())
        text += tr(" — arranging…");
    else if (!m_model->filterText().isEmpty())
        text += tr(" — %L1 shown").arg(m_model->rowCount());
    if (const int p = m_model->pendingCount())
        text += tr(" — %n unsaved edit(s)", nullptr, p);
    if (!m_error.isEmpty())
        text += QStringLiteral(" — ") + m_error.simplified();
    return text;
}

void RecordGridWidget::updateStatus()
{
    const QString text = statusText();
    m_status->setText(text);
    m_status->setToolTip(m_error.isEmpty() ? QString() : m_error);
    Q_EMIT statusChanged(text);
}

void RecordGridWidget::updateEditability()
{
    if (!m_cache || !m_client)
        return;
    const QString type = m_model->sobjectType();
    if (type.isEmpty() || type == u"AggregateResult")
        return;
    const fs::SObjectDescribe *d = m_cache->describe(type);
    if (!d) {
        m_cache->request(type);
        return;
    }
    QSet<QString> editable;
    for (const fs::FieldDescribe &f : d->fields) {
        if (f.updateable && !f.calculated)
            editable.insert(f.name);
    }
    m_model->setEditableFields(editable);
}

void RecordGridWidget::sizeColumnsFromSample()
{
    // Only the first rows decide the widths: never resizeColumnsToContents over all rows.
    const int cols = m_model->columnCount();
    const int rows = std::min(m_model->rowCount(), 40);
    if (cols == 0)
        return;
    const QFontMetrics fm = m_view->fontMetrics();
    const QFontMetrics hfm = m_view->horizontalHeader()->fontMetrics();
    for (int c = 0; c < cols; ++c) {
        int w = hfm.horizontalAdvance(m_model->columns().at(c)) + 28;
        for (int r = 0; r < rows; ++r)
            w = std::max(w, fm.horizontalAdvance(m_model->cellText(r, c)) + 16);
        m_view->setColumnWidth(c, std::clamp(w, 60, 320));
    }
    m_columnsSized = rows > 0;
}

void RecordGridWidget::rememberPosition()
{
    const QModelIndex current = m_view->currentIndex();
    m_keepSource = current.isValid() ? m_model->sourceRow(current.row()) : -1;
    m_keepColumn = current.isValid() ? current.column() : 0;
    m_keepSelected = current.isValid() && m_view->selectionModel()->isSelected(current);
    m_keepScroll = m_view->verticalScrollBar()->value();
}

void RecordGridWidget::restorePosition()
{
    const int source = std::exchange(m_keepSource, -1);
    const int scroll = std::exchange(m_keepScroll, 0);
    // The header already counts the new rows, but the scroll range is still the old one until
    // the view's delayed layout: lay out now, so scrolling below is clamped to the new rows
    // (and QTableView never paints from an offset past the end of fewer rows).
    m_view->doItemsLayout();
    if (m_model->rowCount() == 0)
        return;
    const int row = source >= 0 ? m_model->viewRowForSource(source) : -1;
    if (row >= 0) {
        const QModelIndex index = m_model->index(row, std::clamp(m_keepColumn, 0, m_model->columnCount() - 1));
        m_view->selectionModel()->setCurrentIndex(index,
            m_keepSelected ? QItemSelectionModel::ClearAndSelect : QItemSelectionModel::NoUpdate);
        m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
        return;
    }
    // No current record (or it was filtered out): the same scroll position, within the new rows.
    m_view->verticalScrollBar()->setValue(std::min(scroll, m_view->verticalScrollBar()->maximum()));
}

void RecordGridWidget::onCurrentChanged()
{
    const QModelIndex current = m_view->currentIndex();
    m_detail->setRecord(m_model, current.isValid() ? current.row() : -1);
    m_detailView->resizeColumnToContents(0);
}

void RecordGridWidget::copySelection()
{
    QModelIndexList indexes = m_view->selectionModel()->selectedIndexes();
    if (indexes.isEmpty() && m_view->currentIndex().isValid())
        indexes.append(m_view->currentIndex());
    if (indexes.isEmpty())
        return;
    std::sort(indexes.begin(), indexes.end(), [](const QModelIndex &a, const QModelIndex &b) {
        return a.row() != b.row() ? a.row() < b.row() : a.column() < b.column();
    });
    int minCol = indexes.first().column();
    int maxCol = minCol;
    for (const QModelIndex &i : std::as_const(indexes)) {
        minCol = std::min(minCol, i.column());
        maxCol = std::max(maxCol, i.column());
    }
    QStringList lines;
    if (indexes.size() > 1) {
        QStringList header;
        for (int c = minCol; c <= maxCol; ++c)
            header.append(tsvField(m_model->columns().at(c)));
        lines.append(header.join(QLatin1Char('\t')));
    }
    int row = -1;
    QStringList cells;
    for (const QModelIndex &i : std::as_const(indexes)) {
        if (i.row() != row) {
            if (row >= 0)
                lines.append(cells.join(QLatin1Char('\t')));
            row = i.row();
            cells = QStringList(maxCol - minCol + 1, QString());
        }
        cells[i.column() - minCol] = tsvField(m_model->cellText(i.row(), i.column()));
    }
    lines.append(cells.join(QLatin1Char('\t')));
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

// Synchronous exports (tests, small results): CSV through the shared fs::engine::CsvWriter, both
// written through QSaveFile by GridExporter. The buttons use the asynchronous path below.
QString RecordGridWidget::exportCsv(const QString &path) const
{
    using F = GridExporter::Format;
    return GridExporter::write(path, GridExporter::snapshot(*m_model, F::Csv), F::Csv);
}

QString RecordGridWidget::exportJson(const QString &path) const
{
    using F = GridExporter::Format;
    return GridExporter::write(path, GridExporter::snapshot(*m_model, F::Json), F::Json);
}

void RecordGridWidget::exportWithDialog(bool json)
{
    const QString filter = json ? tr("JSON (*.json)") : tr("CSV (*.csv)");
    const QString path = QFileDialog::getSaveFileName(this, json ? tr("Export JSON") : tr("Export CSV"),
        m_model->sobjectType() + (json ? QStringLiteral(".json") : QStringLiteral(".csv")), filter);
    if (path.isEmpty())
        return;
    // Rows are copied in slices between paints, the file is written on a worker thread.
    auto *exporter = new GridExporter(this);
    connect(exporter, &GridExporter::finished, this, [this, exporter](const QString &, const QString &error) {
        exporter->deleteLater();
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    exporter->start(m_model, path, json ? GridExporter::Format::Json : GridExporter::Format::Csv);
}

void RecordGridWidget::savePending()
{
    if (!m_client || m_saveRequest != 0)
        return;
    const QList<fs::RecordUpdate> updates = m_model->pendingUpdates();
    if (updates.isEmpty())
        return;
    m_error.clear();
    m_saveRequest = m_client->saveUpdates(updates);
    m_status->setText(tr("Saving %n record(s)…", nullptr, int(updates.size())));
}

void RecordGridWidget::discardPending()
{
    m_model->discardPending();
}

void RecordGridWidget::onConflict(const fs::RecordConflict &conflict)
{
    m_error = tr("%1 was changed on the server").arg(conflict.id);
    updateStatus();
    auto *dialog = new ConflictDialog(conflict, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog, conflict](int) {
        if (dialog->choice() == ConflictDialog::KeepMine) {
            // Save again over the server's version the user has now seen.
            m_model->applyServerValues(conflict.id, {}, conflict.serverModstamp);
            m_error.clear();
            savePending();
        } else {
            m_model->discardPending(conflict.id);
            m_model->applyServerValues(conflict.id, conflict.serverValues, conflict.serverModstamp);
            m_error.clear();
            updateStatus();
        }
    });
    dialog->open(); // window-modal, never a nested event loop
    Q_EMIT conflictShown(conflict.id);
}

QWidget *RecordGridWidget::openChildGrid(int row, int column)
{
    const QModelIndex index = m_model->index(row, column);
    const fs::RecordBatch child = index.data(RecordTableModel::ChildBatchRole).value<fs::RecordBatch>();
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("ChildGridDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString parentId = index.data(RecordTableModel::RecordIdRole).toString();
    dialog->setWindowTitle(tr("%1 of %2").arg(m_model->columns().value(column), parentId));
    auto *layout = new QVBoxLayout(dialog);
    auto *grid = new RecordGridWidget(nullptr, m_cache, dialog);
    grid->beginResult();
    grid->m_origin = m_origin.descend(parentId, m_model->columns().value(column), child);
    grid->appendBatch(child);
    if (child.done() || !m_client) {
        grid->finishResult({});
    } else {
        // More child rows on the server: the engine streams them all, re-querying this parent's
        // children when the locator is gone (the parent query has moved on since this page).
        const fs::RequestId id = m_client->fetchChildRows(grid->m_origin);
        connect(m_client, &fs::EngineClient::queryPageReady, grid, [grid, id](fs::RequestId rid, const fs::QueryPage &p) {
            if (rid == id)
                grid->appendBatch(p.batch);
        });
        connect(m_client, &fs::EngineClient::queryFinished, grid, [grid, id](fs::RequestId rid, const fs::QueryStats &s) {
            if (rid == id)
                grid->finishResult(s);
        });
        connect(m_client, &fs::EngineClient::requestFailed, grid, [grid, id](fs::RequestId rid, const fs::EngineError &e) {
            if (rid == id)
                grid->failResult(e.message);
        });
    }
    layout->addWidget(grid);
    dialog->resize(900, 420);
    dialog->show();
    Q_EMIT childGridOpened(dialog);
    return dialog;
}

} // namespace fs::ui
