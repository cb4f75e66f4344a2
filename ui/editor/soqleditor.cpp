#include "soqleditor.h"

#include "shell/themecolors.h"

#include "soqlcompletion.h"
#include "soqlhighlighter.h"
#include "schema/describecache.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QEvent>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QStringListModel>
#include <QTextBlock>
#include <QToolTip>

namespace fs::ui {

SoqlEditor::SoqlEditor(DescribeCache *cache, QWidget *parent)
    : QPlainTextEdit(parent)
    , m_cache(cache)
{
    setObjectName(QStringLiteral("SoqlEditor"));
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTabChangesFocus(false);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setPlaceholderText(tr("SELECT Id, Name FROM Account LIMIT 200   — Ctrl+Enter runs, Ctrl+Space completes"));
    m_highlighter = new SoqlHighlighter(document());

    m_completionModel = new QStringListModel(this);
    m_completer = new QCompleter(m_completionModel, this);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setModelSorting(QCompleter::CaseInsensitivelySortedModel);
    m_completer->setFilterMode(Qt::MatchStartsWith);
    m_completer->setMaxVisibleItems(12);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &SoqlEditor::insertCompletion);

    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        if (hasError() && !m_recolouring) // rehighlighting is not an edit
            clearError();
    });
    if (m_cache) {
        // A describe we were waiting for arrived: offer its fields now.
        connect(m_cache, &DescribeCache::describeReady, this, [this] {
            if (m_waitingForDescribe && hasFocus())
                complete();
        });
        connect(m_cache, &DescribeCache::globalReady, this, [this] {
            if (m_waitingForDescribe && hasFocus())
                complete();
        });
    }
}

void SoqlEditor::setError(int line, int column, const QString &message)
{
    m_errorMessage = message.isEmpty() ? tr("Error") : message;
    const QTextBlock block = document()->findBlockByNumber(std::max(0, line - 1));
    const int col = std::max(0, column - 1);
    int pos = block.isValid() ? block.position() + std::min(col, std::max(0, block.length() - 1))
                              : std::max(0, document()->characterCount() - 1);
    m_errorPos = pos;

    QTextCursor cursor(document());
    cursor.setPosition(pos);
    // Underline the word at the error (at least one character; the previous one at the end).
    cursor.movePosition(QTextCursor::EndOfWord, QTextCursor::KeepAnchor);
    if (!cursor.hasSelection()) {
        if (pos > 0 && pos >= document()->characterCount() - 1)
            cursor.setPosition(pos - 1);
        cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
    }
    QTextEdit::ExtraSelection sel;
    sel.cursor = cursor;
    sel.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    sel.format.setUnderlineColor(errorUnderlineColor());
    sel.format.setToolTip(m_errorMessage);
    setExtraSelections({ sel });
    setToolTip(m_errorMessage);
}

QColor SoqlEditor::errorUnderlineColor() const
{
    return ThemeColors::error(palette());
}

void SoqlEditor::changeEvent(QEvent *e)
{
    QPlainTextEdit::changeEvent(e);
    if (e->type() != QEvent::PaletteChange && e->type() != QEvent::ApplicationPaletteChange)
        return;
    // Theme switched while the editor is open: recolour the highlighting and the error squiggle.
    QList<QTextEdit::ExtraSelection> selections = extraSelections();
    m_recolouring = true;
    if (m_highlighter)
        m_highlighter->updateFormats();
    m_recolouring = false;
    for (QTextEdit::ExtraSelection &sel : selections) {
        if (sel.format.underlineStyle() == QTextCharFormat::WaveUnderline)
            sel.format.setUnderlineColor(errorUnderlineColor());
    }
    setExtraSelections(selections);
}

void SoqlEditor::clearError()
{
    m_errorMessage.clear();
    m_errorPos = -1;
    setExtraSelections({});
    setToolTip(QString());
}

bool SoqlEditor::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip && hasError()) {
        auto *help = static_cast<QHelpEvent *>(e);
        QToolTip::showText(help->globalPos(), m_errorMessage, this);
        return true;
    }
    return QPlainTextEdit::event(e);
}

void SoqlEditor::keyPressEvent(QKeyEvent *e)
{
    if (m_completer->popup()->isVisible()) {
        switch (e->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            e->ignore(); // the completer takes these
            return;
        case Qt::Key_Escape:
            m_completer->popup()->hide();
            return;
        default:
            break;
        }
    }
    const bool ctrl = e->modifiers() & Qt::ControlModifier;
    if (ctrl && (e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter)) {
        Q_EMIT runRequested();
        return;
    }
    if (e->key() == Qt::Key_Escape) {
        Q_EMIT cancelRequested();
        return;
    }
    if (ctrl && e->key() == Qt::Key_Space) {
        complete();
        return;
    }
    QPlainTextEdit::keyPressEvent(e);

    const QString typed = e->text();
    if (typed.isEmpty() || ctrl) {
        if (m_completer->popup()->isVisible())
            refreshCompletions();
        return;
    }
    const QChar c = typed.back();
    if (c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('.'))
        complete();
    else
        m_completer->popup()->hide();
}

void SoqlEditor::refreshCompletions()
{
    complete();
}

void SoqlEditor::complete()
{
    if (!m_cache)
        return;
    const int cursorPos = textCursor().position();
    const SoqlCompletionContext ctx = SoqlCompletionContext::at(toPlainText(), cursorPos);
    QStringList missing;
    const QStringList words = ctx.candidates(*m_cache, &missing);
    for (const QString &m : std::as_const(missing))
        m_cache->request(m);
    if (ctx.kind == SoqlCompletionContext::Kind::Objects && !m_cache->hasGlobal())
        m_cache->requestGlobal();
    m_waitingForDescribe = !missing.isEmpty()
        || (ctx.kind == SoqlCompletionContext::Kind::Objects && !m_cache->hasGlobal());
    if (words.isEmpty()) {
        m_completer->popup()->hide();
        return;
    }
    m_completionStart = ctx.prefixStart;
    m_completionModel->setStringList(words);
    m_completer->setCompletionPrefix(ctx.prefix);
    if (m_completer->completionCount() == 0
        || (m_completer->completionCount() == 1 && m_completer->currentCompletion().compare(ctx.prefix, Qt::CaseInsensitive) == 0)) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect = cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0) + m_completer->popup()->verticalScrollBar()->sizeHint().width() + 16);
    m_completer->complete(rect);
}

void SoqlEditor::insertCompletion(const QString &completion)
{
    QTextCursor cursor = textCursor();
    const int end = cursor.position();
    cursor.setPosition(std::min(m_completionStart, end));
    cursor.setPosition(end, QTextCursor::KeepAnchor);
    cursor.insertText(completion);
    setTextCursor(cursor);
    if (completion.endsWith(QLatin1Char('.')))
        complete(); // straight on to the parent's fields
}

} // namespace fs::ui
