#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace fs::ui {

// Colours SOQL with the shared lexer (fs::soql::tokenize), block by block. Colours come from the
// palette, so light and dark themes both read well. GUI thread only.
class SoqlHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit SoqlHighlighter(QTextDocument *document);

    // Re-reads the palette (after a theme change).
    void updateFormats();

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_keyword;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_dateLiteral;
    QTextCharFormat m_operator;
    QTextCharFormat m_error;
    QTextCharFormat m_bind;
};

} // namespace fs::ui
