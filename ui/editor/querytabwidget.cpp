#include "querytabwidget.h"

#include "querystore.h"
#include "soqleditor.h"
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"
#include "panels/gridexporter.h"
#include "panels/pendingeditsdialog.h"
#include "schema/describecache.h"

#include "api/engineclient.h"
#include "soql/parser.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QTableView>
#include <QTimer>
#include <QRegularExpression>
#include <QSplitter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace fs::ui {

namespace {

int editDistance(const QString &a, const QString &b)
{
    QList<int> prev(b.size() + 1);
    QList<int> cur(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
            cur[j] = std::min({ prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost });
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// The parser notices a misspelt clause keyword ("Name FORM Account") only at the token after it.
// When the word before the error position looks like a clause keyword, point at that word.
void pointAtMisspeltKeyword(const QString &text, int *line, int *column)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    if (*line < 1 || *line > lines.size())
        return;
    int offset = 0;
    for (int i = 0; i < *line - 1; ++i)
        offset += int(lines.at(i).size()) + 1;
    offset = std::min(int(text.size()), offset + std::max(0, *column - 1));
    int end = offset;
    while (end > 0 && text.at(end - 1).isSpace())
        --end;
    int start = end;
    while (start > 0 && (text.at(start - 1).isLetterOrNumber() || text.at(start - 1) == QLatin1Char('_')))
        --start;
    const QString word = text.mid(start, end - start).toUpper();
    if (word.size() < 3 || start == end || end == offset)
        return;
    static const QStringList keywords { QStringLiteral("SELECT"), QStringLiteral("FROM"), QStringLiteral("WHERE"),
        QStringLiteral("ORDER"), QStringLiteral("GROUP"), QStringLiteral("LIMIT"), QStringLiteral("OFFSET"),
        QStringLiteral("HAVING") };
    if (keywords.contains(word))
        return;
    for (const QString &k : keywords) {
        if (k.at(0) == word.at(0) && editDistance(word, k) <= 2) {
            const QString before = text.left(start);
            *line = int(before.count(QLatin1Char('\n'))) + 1;
            *column = start - int(before.lastIndexOf(QLatin1Char('\n')));
            return;
        }
    }
}

} // namespace

QueryTabWidget::QueryTabWidget(fs::EngineClient *client, DescribeCache *cache, QueryStore *store, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_cache(cache)
    , m_store(store)
{
    setObjectName(QStringLiteral("QueryTabWidget"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("querySplitter"));

    auto *top = new QWidget(split);
    auto *tl = new QVBoxLayout(top);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->setSpacing(0);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    m_runButton = new QToolButton(top);
    m_runButton->setObjectName(QStringLiteral("runQuery"));
    m_runButton->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_runButton->setText(tr("Run"));
    m_runButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_runButton->setToolTip(tr("Run the query (%1)").arg(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));
    m_cancelButton = new QToolButton(top);
    m_cancelButton->setObjectName(QStringLiteral("cancelQuery"));
    m_cancelButton->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancelButton->setToolTip(tr("Cancel the running query (%1)").arg(QKeySequence(Qt::Key_Escape).toString(QKeySequence::NativeText)));
    m_cancelButton->setEnabled(false);
    m_message = new QLabel(top);
    // A long server message must not widen the whole window: it is cut here, whole in the tooltip.
    m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_message->setMinimumWidth(0);
    m_message->setObjectName(QStringLiteral("queryMessage"));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resultsButton = new QToolButton(top);
    m_resultsButton->setObjectName(QStringLiteral("resultsMenu"));
    m_resultsButton->setText(tr("Results"));
    m_resultsButton->setToolTip(tr("Copy, filter, export and save the results — with their shortcuts"));
    m_resultsButton->setPopupMode(QToolButton::InstantPopup);
    m_resultsButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addWidget(m_runButton);
    bar->addWidget(m_cancelButton);
    bar->addWidget(m_message, 1);
    bar->addWidget(m_resultsButton);
    tl->addLayout(bar);
    m_editor = new SoqlEditor(cache, top);
    tl->addWidget(m_editor);

    m_grid = new RecordGridWidget(client, cache, split);
    split->addWidget(top);
    split->addWidget(m_grid);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setSizes({ 160, 480 });
    layout->addWidget(split);

    connect(m_runButton, &QToolButton::clicked, this, &QueryTabWidget::run);
    connect(m_cancelButton, &QToolButton::clicked, this, &QueryTabWidget::cancel);
    connect(m_editor, &SoqlEditor::runRequested, this, &QueryTabWidget::run);
    connect(m_editor, &SoqlEditor::cancelRequested, this, &QueryTabWidget::cancel);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        Q_EMIT textEdited();
        const QString t = title();
        if (t != m_lastTitle) {
            m_lastTitle = t;
            Q_EMIT titleChanged(t);
        }
    });
    connect(m_grid, &RecordGridWidget::statusChanged, this, &QueryTabWidget::statusMessage);

    m_exporter = new GridExporter(this);
    connect(m_exporter, &GridExporter::finished, this, [this](const QString &path, const QString &error) {
        const QString msg = error.isEmpty() ? tr("Exported to %1").arg(QDir::toNativeSeparators(path)) : error;
        m_message->setText(msg);
        m_message->setToolTip(msg);
        Q_EMIT statusMessage(msg);
        if (!error.isEmpty() && m_testExportPath.isEmpty()) {
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Export failed"), error, QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
        Q_EMIT exportFinished(path, error);
    });
    buildActions();

    // A damaged history/autosave file was moved aside when the store loaded: say so once, in the
    // first tab and (through statusMessage, once the window listens) in the status bar.
    if (m_store && !m_store->loadError().isEmpty() && !m_store->property("fsLoadErrorShown").toBool()) {
        m_store->setProperty("fsLoadErrorShown", true);
        const QString msg = m_store->loadError();
        m_message->setText(msg);
        m_message->setToolTip(msg);
        QTimer::singleShot(0, this, [this, msg] { Q_EMIT statusMessage(msg); });
    }

    if (m_client) {
        connect(m_client, &fs::EngineClient::queryPageReady, this, [this](fs::RequestId id, const fs::QueryPage &page) {
            if (id == m_request)
                m_grid->appendPage(page);
        });
        connect(m_client, &fs::EngineClient::queryFinished, this, [this](fs::RequestId id, const fs::QueryStats &s) {
            if (id != m_request)
                return;
            m_grid->finishResult(s);
            m_message->setText(tr("%L1 record(s) in %2 s, %3 page(s)").arg(s.records).arg(s.seconds, 0, 'f', 2).arg(s.pages));
            m_outcome = Outcome::Succeeded;
            setRunning(false);
            Q_EMIT queryFinished(true);
        });
        connect(m_client, &fs::EngineClient::requestFailed, this, [this](fs::RequestId id, const fs::EngineError &e) {
            if (id != m_request)
                return;
            if (e.category == fs::EngineError::Category::Cancelled) {
                // Stopped by the user: not an error. The rows already received stay in the grid.
                m_grid->failResult(tr("Cancelled"));
                const QString msg = tr("Cancelled — %Ln row(s) kept", nullptr, int(m_grid->model()->loadedRows()));
                m_message->setText(msg);
                m_message->setToolTip(msg);
                m_outcome = Outcome::Cancelled;
                setRunning(false);
                Q_EMIT statusMessage(msg);
                Q_EMIT queryCancelled();
                return;
            }
            QString msg = e.message;
            if (!e.errorCode.isEmpty())
                msg = e.errorCode + QStringLiteral(": ") + e.message;
            if (e.line > 0)
                m_editor->setError(e.line, std::max(1, e.column), msg);
            m_grid->failResult(e.message);
            m_message->setText(msg);
            m_message->setToolTip(msg);
            m_outcome = Outcome::Failed;
            setRunning(false);
            Q_EMIT queryFinished(false);
        });
    }
}

QueryTabWidget::~QueryTabWidget()
{
    if (m_request != 0 && m_client)
        m_client->cancel(m_request);
}

QString QueryTabWidget::text() const
{
    return m_editor->toPlainText();
}

void QueryTabWidget::setText(const QString &soql)
{
    m_editor->setPlainText(soql);
    QTextCursor c = m_editor->textCursor();
    c.movePosition(QTextCursor::End);
    m_editor->setTextCursor(c);
}

QString QueryTabWidget::title() const
{
    static const QRegularExpression from(QStringLiteral("\\bFROM\\s+([A-Za-z0-9_]+)"),
        QRegularExpression::CaseInsensitiveOption);
    // The outermost FROM: the last match at depth 0 would need a parser; the first non-subquery is
    // good enough for a tab title.
    const QString t = text();
    QRegularExpressionMatchIterator it = from.globalMatch(t);
    QString name;
    while (it.hasNext()) {
        const auto m = it.next();
        const int depth = int(t.left(m.capturedStart()).count(QLatin1Char('('))
            - t.left(m.capturedStart()).count(QLatin1Char(')')));
        if (depth == 0) {
            name = m.captured(1);
            break;
        }
    }
    return name.isEmpty() ? tr("Query") : name;
}

void QueryTabWidget::run()
{
    if (!m_client || m_request != 0)
        return;
    const QString soql = text().trimmed();
    if (soql.isEmpty())
        return;
    // Local parse first: a typo is underlined at once, without a round trip.
    const fs::soql::ParseResult parsed = fs::soql::parse(text());
    if (!parsed.ok()) {
        const QString msg = parsed.error.code + QStringLiteral(": ") + parsed.error.message;
        int line = parsed.error.line;
        int column = parsed.error.column;
        pointAtMisspeltKeyword(text(), &line, &column);
        m_editor->setError(line, column, msg);
        m_message->setText(tr("Line %1, column %2: %3").arg(line).arg(column).arg(parsed.error.message));
        Q_EMIT statusMessage(m_message->text());
        return;
    }
    m_editor->clearError();
    if (m_store)
        m_store->addHistory(m_org, soql);
    m_grid->beginResult();
    m_message->setText(tr("Running…"));
    m_request = m_client->runQuery(soql);
    m_outcome = Outcome::Running;
    setRunning(true);
    Q_EMIT queryStarted();
}

void QueryTabWidget::cancel()
{
    if (m_request != 0 && m_client)
        m_client->cancel(m_request); // ends in requestFailed(Cancelled)
}

void QueryTabWidget::setRunning(bool running)
{
    if (!running)
        m_request = 0;
    m_runButton->setEnabled(!running);
    m_cancelButton->setEnabled(running);
    // Esc is only taken while a query runs: otherwise it stays with the focused widget (closing
    // the completion popup, leaving a cell editor).
    if (QAction *cancel = m_actions.value(QStringLiteral("cancel")))
        cancel->setEnabled(running);
}

QString QueryTabWidget::messageText() const
{
    return m_message->text();
}

QAction *QueryTabWidget::addKeyAction(const QString &name, const QString &text, const QKeySequence &key)
{
    auto *a = new QAction(text, this);
    a->setObjectName(name + QStringLiteral("Action"));
    a->setShortcut(key);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    a->setToolTip(QStringLiteral("%1 (%2)").arg(text, key.toString(QKeySequence::NativeText)));
    addAction(a);
    m_actions.insert(name, a);
    m_actionOrder.append(a);
    return a;
}

void QueryTabWidget::buildActions()
{
    QAction *cancel = addKeyAction(QStringLiteral("cancel"), tr("Cancel query"), QKeySequence(Qt::Key_Escape));
    cancel->setEnabled(false);
    connect(cancel, &QAction::triggered, this, &QueryTabWidget::cancel);

    QAction *filter = addKeyAction(QStringLiteral("filter"), tr("Filter loaded rows"), QKeySequence::Find);
    connect(filter, &QAction::triggered, this, [this] {
        if (auto *edit = m_grid->findChild<QLineEdit *>(QStringLiteral("gridFilter"))) {
            edit->setFocus(Qt::ShortcutFocusReason);
            edit->selectAll();
        }
    });

    // Copy and save already have grid-scoped actions (Ctrl+C in the table, Ctrl+S in the grid);
    // a second action on the same key would make the shortcut ambiguous, so those are listed here.
    auto gridAction = [this](QWidget *owner, QKeySequence::StandardKey key) -> QAction * {
        for (QAction *a : owner->actions()) {
            if (a->shortcut() == QKeySequence(key))
                return a;
        }
        return nullptr;
    };
    QAction *copy = gridAction(m_grid->view(), QKeySequence::Copy);
    if (!copy) {
        copy = new QAction(tr("Copy"), m_grid->view());
        copy->setShortcut(QKeySequence::Copy);
        copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(copy, &QAction::triggered, m_grid, &RecordGridWidget::copySelection);
        m_grid->view()->addAction(copy);
    }
    copy->setText(tr("Copy cells as TSV"));
    copy->setToolTip(tr("Copy the selected cells as tab-separated text (%1)").arg(copy->shortcut().toString(QKeySequence::NativeText)));
    m_actions.insert(QStringLiteral("copy"), copy);
    m_actionOrder.append(copy);

    QAction *csv = addKeyAction(QStringLiteral("exportCsv"), tr("Export CSV…"), QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(csv, &QAction::triggered, this, [this] { exportResults(false); });
    QAction *json = addKeyAction(QStringLiteral("exportJson"), tr("Export JSON…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(json, &QAction::triggered, this, [this] { exportResults(true); });

    QAction *save = gridAction(m_grid, QKeySequence::Save);
    if (!save) {
        save = new QAction(tr("Save edits"), m_grid);
        save->setShortcut(QKeySequence::Save);
        save->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(save, &QAction::triggered, m_grid, &RecordGridWidget::savePending);
        m_grid->addAction(save);
    }
    save->setText(tr("Save pending edits"));
    save->setToolTip(tr("Save pending edits (%1)").arg(save->shortcut().toString(QKeySequence::NativeText)));
    m_actions.insert(QStringLiteral("saveEdits"), save);
    m_actionOrder.append(save);

    QAction *preview = addKeyAction(QStringLiteral("previewEdits"), tr("Preview pending edits…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    connect(preview, &QAction::triggered, this, [this] { previewPendingEdits(); });

    auto *menu = new QMenu(m_resultsButton);
    menu->setObjectName(QStringLiteral("resultsActions"));
    for (QAction *a : std::as_const(m_actionOrder))
        menu->addAction(a);
    m_resultsButton->setMenu(menu);
}

QAction *QueryTabWidget::action(const QString &name) const
{
    return m_actions.value(name);
}

QList<QAction *> QueryTabWidget::keyboardActions() const
{
    return m_actionOrder;
}

void QueryTabWidget::exportResults(bool json, const QString &path)
{
    const GridExporter::Format format = json ? GridExporter::Format::Json : GridExporter::Format::Csv;
    auto begin = [this, format](const QString &target) {
        if (target.isEmpty())
            return;
        if (!m_exporter->start(m_grid->model(), target, format)) {
            m_message->setText(tr("An export is already running"));
            return;
        }
        m_message->setText(tr("Exporting %L1 row(s)…").arg(m_grid->model()->rowCount()));
    };
    if (!path.isEmpty() || !m_testExportPath.isEmpty()) {
        begin(path.isEmpty() ? m_testExportPath : path);
        return;
    }
    const QString type = m_grid->model()->sobjectType();
    auto *dialog = new QFileDialog(this, json ? tr("Export JSON") : tr("Export CSV"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(json ? tr("JSON (*.json)") : tr("CSV (*.csv)"));
    dialog->setDefaultSuffix(json ? QStringLiteral("json") : QStringLiteral("csv"));
    dialog->selectFile((type.isEmpty() ? QStringLiteral("results") : type) + (json ? QStringLiteral(".json") : QStringLiteral(".csv")));
    connect(dialog, &QFileDialog::fileSelected, this, begin);
    dialog->open();
}

QWidget *QueryTabWidget::previewPendingEdits()
{
    auto *dialog = new PendingEditsDialog(m_grid, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

} // namespace fs::ui
