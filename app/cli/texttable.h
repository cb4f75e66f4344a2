#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace fs::cli {

// Aligned plain-text table for terminal output. Column widths come from the header and the rows
// given to setWidthsFrom(); cells wider than the column (or than maxWidth) are cut with "…".
// Newlines and tabs inside cells are shown as spaces so every record stays on one line.
class TextTable {
public:
    explicit TextTable(QStringList headers, int maxWidth = 60);

    // Fixes the column widths from these rows (and the headers). Call before header()/row().
    void setWidthsFrom(const QList<QStringList> &rows);

    QString header() const; // header line + dash line, each ending in '\n'
    QString row(const QStringList &cells) const; // one line ending in '\n'

    // Whole table in one go (small outputs: limits, describe, org list).
    static QString render(const QStringList &headers, const QList<QStringList> &rows, int maxWidth = 60);

private:
    QString cell(const QString &text, int width) const;

    QStringList m_headers;
    QList<int> m_widths;
    int m_maxWidth;
};

} // namespace fs::cli
