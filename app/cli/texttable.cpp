#include "texttable.h"

namespace fs::cli {

namespace {

QString oneLine(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        if (c == u'\n' || c == u'\r' || c == u'\t')
            c = u' ';
    }
    return out;
}

} // namespace

TextTable::TextTable(QStringList headers, int maxWidth)
    : m_headers(std::move(headers))
    , m_maxWidth(qMax(4, maxWidth))
{
    for (const QString &h : m_headers)
        m_widths.append(qMin(int(h.size()), m_maxWidth));
}

void TextTable::setWidthsFrom(const QList<QStringList> &rows)
{
    for (const QStringList &r : rows) {
        for (int c = 0; c < m_widths.size() && c < r.size(); ++c)
            m_widths[c] = qMin(m_maxWidth, qMax(m_widths.at(c), int(oneLine(r.at(c)).size())));
    }
}

QString TextTable::cell(const QString &text, int width) const
{
    QString t = oneLine(text);
    if (t.size() > width)
        t = t.left(width - 1) + QChar(0x2026);
    return t.leftJustified(width, u' ');
}

QString TextTable::header() const
{
    QStringList cells;
    QStringList dashes;
    for (int c = 0; c < m_headers.size(); ++c) {
        cells.append(cell(m_headers.at(c), m_widths.at(c)));
        dashes.append(QString(m_widths.at(c), u'-'));
    }
    return cells.join(QLatin1String("  ")).trimmed() + u'\n' + dashes.join(QLatin1String("  ")) + u'\n';
}

QString TextTable::row(const QStringList &cells) const
{
    QStringList out;
    for (int c = 0; c < m_widths.size(); ++c)
        out.append(cell(cells.value(c), m_widths.at(c)));
    // Trailing padding of the last column is noise in a terminal and in diffs.
    QString line = out.join(QLatin1String("  "));
    while (line.endsWith(u' '))
        line.chop(1);
    return line + u'\n';
}

QString TextTable::render(const QStringList &headers, const QList<QStringList> &rows, int maxWidth)
{
    TextTable t(headers, maxWidth);
    t.setWidthsFrom(rows);
    QString out = t.header();
    for (const QStringList &r : rows)
        out += t.row(r);
    return out;
}

} // namespace fs::cli
