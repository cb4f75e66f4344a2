#include "csvwriter.h"

namespace fs::engine {

QString CsvWriter::quote(const QString &field)
{
    bool needsQuotes = field.startsWith(u' ') || field.endsWith(u' ') || field.startsWith(u'\t')
        || field.endsWith(u'\t');
    for (QChar c : field) {
        if (c == u',' || c == u'"' || c == u'\r' || c == u'\n') {
            needsQuotes = true;
            break;
        }
    }
    if (!needsQuotes)
        return field;
    QString out;
    out.reserve(field.size() + 2);
    out.append(u'"');
    for (QChar c : field) {
        if (c == u'"')
            out.append(u'"');
        out.append(c);
    }
    out.append(u'"');
    return out;
}

QString CsvWriter::row(const QStringList &fields)
{
    QString out;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out.append(u',');
        out.append(quote(fields.at(i)));
    }
    out.append(QLatin1String("\r\n"));
    return out;
}

} // namespace fs::engine
