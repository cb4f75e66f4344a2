#include "querytabwidget.h"

#include "querystore.h"
#include "soqleditor.h"
#include "grid/recordgridwidget.h"
#include "schema/describecache.h"

#include "api/engineclient.h"
#include "soql/parser.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QSplitter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace fs::ui {

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
    m_runButton->setToolTip(tr("Run the query (Ctrl+Enter)"));
    m_cancelButton = new QToolButton(top);
    m_cancelButton->setObjectName(QStringLiteral("cancelQuery"));
    m_cancelButton->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancelButton->setToolTip(tr("Cancel the running query (Esc)"));
    m_cancelButton->setEnabled(false);
    m_message = new QLabel(top);
    // A long server message must not widen the whole window: it is cut here, whole in the tooltip.
    m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_message->setMinimumWidth(0);
    m_message->setObjectName(QStringLiteral("queryMessage"));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_runButton);
    bar->addWidget(m_cancelButton);
    bar->addWidget(m_message, 1);
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
            setRunning(false);
            Q_EMIT queryFinished(true);
        });
        connect(m_client, &fs::EngineClient::requestFailed, this, [this](fs::RequestId id, const fs::EngineError &e) {
            if (id != m_request)
                return;
            QString msg = e.message;
            if (!e.errorCode.isEmpty() && e.category != fs::EngineError::Category::Cancelled)
                msg = e.errorCode + QStringLiteral(": ") + e.message;
            if (e.line > 0)
                m_editor->setError(e.line, std::max(1, e.column), msg);
            m_grid->failResult(e.category == fs::EngineError::Category::Cancelled ? tr("cancelled") : e.message);
            m_message->setText(msg);
            m_message->setToolTip(msg);
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
        m_editor->setError(parsed.error.line, parsed.error.column, msg);
        m_message->setText(tr("Line %1, column %2: %3").arg(parsed.error.line).arg(parsed.error.column).arg(parsed.error.message));
        Q_EMIT statusMessage(m_message->text());
        return;
    }
    m_editor->clearError();
    if (m_store)
        m_store->addHistory(m_org, soql);
    m_grid->beginResult();
    m_message->setText(tr("Running…"));
    m_request = m_client->runQuery(soql);
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
}

} // namespace fs::ui
