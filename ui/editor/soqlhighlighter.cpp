#include "soqlhighlighter.h"

#include "shell/themecolors.h"

#include "soql/token.h"

#include <QApplication>
#include <QPalette>

namespace fs::ui {

SoqlHighlighter::SoqlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    updateFormats();
}

void SoqlHighlighter::updateFormats()
{
    const QPalette pal = QApplication::palette();
    m_keyword = {};
    m_keyword.setForeground(pal.color(QPalette::Link));
    m_keyword.setFontWeight(QFont::Bold);
    m_string = {};
    m_string.setForeground(pal.color(QPalette::LinkVisited));
    m_number = {};
    m_number.setForeground(pal.color(QPalette::Highlight));
    m_dateLiteral = m_number;
    m_dateLiteral.setFontItalic(true);
    m_operator = {};
    m_operator.setForeground(pal.color(QPalette::PlaceholderText));
    m_bind = m_string;
    m_bind.setFontItalic(true);
    m_error = {};
    m_error.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    m_error.setUnderlineColor(ThemeColors::error(pal));
    rehighlight();
}

void SoqlHighlighter::highlightBlock(const QString &text)
{
    const fs::soql::TokenList tokens = fs::soql::tokenize(text);
    for (const fs::soql::Token &t : tokens) {
        switch (t.kind) {
        case fs::soql::TokenKind::Keyword:
            setFormat(t.start, t.length, m_keyword);
            break;
        case fs::soql::TokenKind::String:
            setFormat(t.start, t.length, m_string);
            break;
        case fs::soql::TokenKind::Number:
        case fs::soql::TokenKind::Currency:
        case fs::soql::TokenKind::Date:
        case fs::soql::TokenKind::DateTime:
            setFormat(t.start, t.length, m_number);
            break;
        case fs::soql::TokenKind::DateLiteral:
            setFormat(t.start, t.length, m_dateLiteral);
            break;
        case fs::soql::TokenKind::Operator:
            setFormat(t.start, t.length, m_operator);
            break;
        case fs::soql::TokenKind::Bind:
            setFormat(t.start, t.length, m_bind);
            break;
        case fs::soql::TokenKind::Error:
            setFormat(t.start, t.length, m_error);
            break;
        default:
            break;
        }
    }
}

} // namespace fs::ui
