#include "builder.h"

#include <charconv>
#include <cmath>

namespace fs::soql {

namespace {

bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isAsciiAlnum(QChar c)
{
    return isAsciiLetter(c) || (c >= u'0' && c <= u'9');
}

constexpr const char *s_reservedWords[] = {
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN", "INCLUDES", "EXCLUDES", "NULL", "TRUE", "FALSE",
    "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "OFFSET", "WITH", "USING",
    "FOR", "UPDATE", "TYPEOF",
};

QString escapeBody(QStringView value, bool like)
{
    QString out;
    out.reserve(value.size() + 8);
    for (const QChar c : value) {
        switch (c.unicode()) {
        case u'\\':
            out += QLatin1String("\\\\");
            break;
        case u'\'':
            out += QLatin1String("\\'");
            break;
        case u'\n':
            out += QLatin1String("\\n");
            break;
        case u'\r':
            out += QLatin1String("\\r");
            break;
        case u'\t':
            out += QLatin1String("\\t");
            break;
        case u'\f':
            out += QLatin1String("\\f");
            break;
        case 0x07:
            out += QLatin1String("\\b");
            break;
        case u'%':
        case u'_':
            if (like)
                out += u'\\';
            out += c;
            break;
        default:
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out;
}

} // namespace

QString quoteString(QStringView value)
{
    return u'\'' + escapeBody(value, false) + u'\'';
}

QString quoteLike(QStringView text, LikeMatch match)
{
    QString body = escapeBody(text, true);
    if (match == LikeMatch::EndsWith || match == LikeMatch::Contains)
        body.prepend(u'%');
    if (match == LikeMatch::StartsWith || match == LikeMatch::Contains)
        body.append(u'%');
    return u'\'' + body + u'\'';
}

bool isValidApiName(QStringView name)
{
    if (name.isEmpty() || name.size() > 120 || !isAsciiLetter(name.front()))
        return false;
    for (const char *r : s_reservedWords) {
        if (name.compare(QLatin1String(r), Qt::CaseInsensitive) == 0)
            return false;
    }
    // Segments separated by "__" (namespace prefix, name, suffix); each is letters/digits with
    // single underscores inside.
    int segments = 0;
    qsizetype i = 0;
    while (i < name.size()) {
        ++segments;
        if (segments > 3)
            return false;
        const qsizetype segStart = i;
        while (i < name.size()) {
            if (isAsciiAlnum(name[i])) {
                ++i;
            } else if (name[i] == u'_') {
                if (i + 1 < name.size() && name[i + 1] == u'_')
                    break;
                if (i + 1 >= name.size() || i == segStart)
                    return false;
                ++i;
            } else {
                return false;
            }
        }
        if (i == segStart)
            return false;
        if (i < name.size()) {
            i += 2; // skip "__"
            if (i >= name.size())
                return false;
        }
    }
    return true;
}

bool isValidFieldPath(QStringView path)
{
    const auto parts = path.split(u'.');
    if (parts.size() > 6)
        return false;
    for (const auto &p : parts) {
        if (!isValidApiName(p))
            return false;
    }
    return true;
}

QString formatDate(QDate date)
{
    return date.toString(Qt::ISODate);
}

QString formatDateTime(const QDateTime &dateTime)
{
    const QDateTime utc = dateTime.toUTC();
    if (utc.time().msec() != 0)
        return utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    return utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

QString formatNumber(double value)
{
    if (!std::isfinite(value))
        return {};
    char buf[400];
    const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    if (res.ec != std::errc())
        return {};
    return QString::fromLatin1(buf, res.ptr - buf);
}

std::optional<QString> formatLiteral(const QVariant &value)
{
    if (value.isNull() || !value.isValid())
        return QStringLiteral("null");
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::Long:
        return QString::number(value.toLongLong());
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::ULong:
        return QString::number(value.toULongLong());
    case QMetaType::Double:
    case QMetaType::Float: {
        const QString s = formatNumber(value.toDouble());
        if (s.isEmpty())
            return std::nullopt;
        return s;
    }
    case QMetaType::QString:
        return quoteString(value.toString());
    case QMetaType::QByteArray:
        return quoteString(QString::fromUtf8(value.toByteArray()));
    case QMetaType::QDate:
        if (!value.toDate().isValid())
            return std::nullopt;
        return formatDate(value.toDate());
    case QMetaType::QDateTime:
        if (!value.toDateTime().isValid())
            return std::nullopt;
        return formatDateTime(value.toDateTime());
    default:
        return std::nullopt;
    }
}

// ---- Filter ----------------------------------------------------------------------------------------

Filter Filter::invalid(const QString &error)
{
    Filter f;
    f.m_error = error;
    return f;
}

Filter Filter::compare(const QString &field, const QString &op, const QVariant &value)
{
    if (!isValidFieldPath(field))
        return invalid(QStringLiteral("invalid field name: %1").arg(field));
    static const QStringList ops = { QStringLiteral("="), QStringLiteral("!="), QStringLiteral("<"),
        QStringLiteral("<="), QStringLiteral(">"), QStringLiteral(">=") };
    if (!ops.contains(op))
        return invalid(QStringLiteral("invalid operator: %1").arg(op));
    const auto literal = formatLiteral(value);
    if (!literal)
        return invalid(QStringLiteral("value of type %1 has no SOQL literal").arg(QLatin1String(value.typeName())));
    Filter f;
    f.m_text = field + u' ' + op + u' ' + *literal;
    return f;
}

Filter Filter::like(const QString &field, const QString &text, LikeMatch match)
{
    if (!isValidFieldPath(field))
        return invalid(QStringLiteral("invalid field name: %1").arg(field));
    Filter f;
    f.m_text = field + QLatin1String(" LIKE ") + quoteLike(text, match);
    return f;
}

Filter Filter::list(const QString &field, const QString &op, const QVariantList &values)
{
    if (!isValidFieldPath(field))
        return invalid(QStringLiteral("invalid field name: %1").arg(field));
    if (values.isEmpty())
        return invalid(QStringLiteral("%1 needs at least one value").arg(op));
    QStringList items;
    for (const QVariant &v : values) {
        const auto literal = formatLiteral(v);
        if (!literal)
            return invalid(QStringLiteral("value of type %1 has no SOQL literal").arg(QLatin1String(v.typeName())));
        items << *literal;
    }
    Filter f;
    f.m_text = field + u' ' + op + QLatin1String(" (") + items.join(QLatin1String(", ")) + u')';
    return f;
}

Filter Filter::in(const QString &field, const QVariantList &values)
{
    return list(field, QStringLiteral("IN"), values);
}

Filter Filter::notIn(const QString &field, const QVariantList &values)
{
    return list(field, QStringLiteral("NOT IN"), values);
}

Filter Filter::includes(const QString &field, const QStringList &values)
{
    QVariantList vl;
    for (const QString &v : values)
        vl << v;
    return list(field, QStringLiteral("INCLUDES"), vl);
}

Filter Filter::excludes(const QString &field, const QStringList &values)
{
    QVariantList vl;
    for (const QString &v : values)
        vl << v;
    return list(field, QStringLiteral("EXCLUDES"), vl);
}

Filter Filter::isNull(const QString &field)
{
    return compare(field, QStringLiteral("="), QVariant());
}

Filter Filter::isNotNull(const QString &field)
{
    return compare(field, QStringLiteral("!="), QVariant());
}

Filter Filter::join(const QList<Filter> &filters, const QString &op)
{
    QStringList parts;
    for (const Filter &f : filters) {
        if (f.isEmpty())
            continue;
        if (!f.isValid())
            return f;
        parts << (f.m_compound ? u'(' + f.m_text + u')' : f.m_text);
    }
    if (parts.isEmpty())
        return {};
    Filter out;
    out.m_text = parts.join(u' ' + op + u' ');
    out.m_compound = parts.size() > 1;
    if (parts.size() == 1) {
        for (const Filter &f : filters) {
            if (!f.isEmpty())
                return f;
        }
    }
    return out;
}

Filter Filter::allOf(const QList<Filter> &filters)
{
    return join(filters, QStringLiteral("AND"));
}

Filter Filter::anyOf(const QList<Filter> &filters)
{
    return join(filters, QStringLiteral("OR"));
}

Filter Filter::negate(const Filter &filter)
{
    if (!filter.isValid())
        return filter.isEmpty() ? invalid(QStringLiteral("cannot negate an empty filter")) : filter;
    Filter f;
    f.m_text = QLatin1String("NOT (") + filter.m_text + u')';
    return f;
}

// ---- Builder ---------------------------------------------------------------------------------------

Builder::Builder(const QString &sobject)
    : m_sobject(sobject)
{
    if (!isValidApiName(sobject))
        setError(QStringLiteral("invalid sObject name: %1").arg(sobject));
}

void Builder::setError(const QString &error)
{
    if (m_error.isEmpty())
        m_error = error;
}

Builder &Builder::select(const QStringList &fields)
{
    for (const QString &f : fields) {
        if (!isValidFieldPath(f))
            setError(QStringLiteral("invalid field name: %1").arg(f));
        else
            m_fields << f;
    }
    return *this;
}

Builder &Builder::where(const Filter &filter)
{
    if (filter.isEmpty())
        return *this;
    if (!filter.isValid())
        setError(filter.error());
    else
        m_filters << filter;
    return *this;
}

Builder &Builder::orderBy(const QString &field, bool ascending, std::optional<bool> nullsFirst)
{
    if (!isValidFieldPath(field)) {
        setError(QStringLiteral("invalid field name: %1").arg(field));
        return *this;
    }
    QString item = field + (ascending ? QLatin1String(" ASC") : QLatin1String(" DESC"));
    if (nullsFirst)
        item += *nullsFirst ? QLatin1String(" NULLS FIRST") : QLatin1String(" NULLS LAST");
    m_order << item;
    return *this;
}

Builder &Builder::limit(qint64 n)
{
    if (n < 0)
        setError(QStringLiteral("LIMIT must not be negative"));
    else
        m_limit = n;
    return *this;
}

Builder &Builder::offset(qint64 n)
{
    if (n < 0 || n > 2000)
        setError(QStringLiteral("OFFSET must be between 0 and 2000"));
    else
        m_offset = n;
    return *this;
}

QString Builder::build() const
{
    if (!isValid())
        return {};
    QString q = QLatin1String("SELECT ") + (m_fields.isEmpty() ? QStringLiteral("Id") : m_fields.join(QLatin1String(", ")))
        + QLatin1String(" FROM ") + m_sobject;
    const Filter all = Filter::allOf(m_filters);
    if (all.isValid())
        q += QLatin1String(" WHERE ") + all.toSoql();
    if (!m_order.isEmpty())
        q += QLatin1String(" ORDER BY ") + m_order.join(QLatin1String(", "));
    if (m_limit)
        q += QLatin1String(" LIMIT ") + QString::number(*m_limit);
    if (m_offset)
        q += QLatin1String(" OFFSET ") + QString::number(*m_offset);
    return q;
}

} // namespace fs::soql
