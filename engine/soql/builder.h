#pragma once

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace fs::soql {

// Safe construction of SOQL from untrusted values. Every query the app generates goes through
// these helpers: identifiers are validated (never quoted — SOQL has no identifier quoting), values
// become literals with every character escaped per reference §3.7.

// 'text' with \ escaped first, then ', then control characters (\n \r \t \f \b, others \uXXXX).
QString quoteString(QStringView value);

enum class LikeMatch { Exact, StartsWith, EndsWith, Contains };
// A LIKE literal that matches `text` literally (% and _ escaped) with wildcards added per `match`.
QString quoteLike(QStringView text, LikeMatch match);

// A valid API name: Name, Custom__c, ns__Custom__c, Invoice__r; not a reserved word.
bool isValidApiName(QStringView name);
// A dotted path of API names with at most 5 relationship hops (Account.Owner.Name).
bool isValidFieldPath(QStringView path);

QString formatDate(QDate date); // 2024-01-15
QString formatDateTime(const QDateTime &dateTime); // 2024-01-15T10:00:00Z (UTC, .zzz when needed)
QString formatNumber(double value); // plain decimal, never an exponent; empty for NaN/inf

// SOQL literal for a QVariant (null, bool, integers, double, QString, QDate, QDateTime, QByteArray
// as UTF-8 text). std::nullopt for values with no SOQL form.
std::optional<QString> formatLiteral(const QVariant &value);

// A WHERE condition fragment; invalid fragments carry an error and poison whatever uses them.
class Filter {
public:
    Filter() = default;

    // op is one of = != < <= > >=
    static Filter compare(const QString &field, const QString &op, const QVariant &value);
    static Filter equals(const QString &field, const QVariant &value) { return compare(field, QStringLiteral("="), value); }
    static Filter like(const QString &field, const QString &text, LikeMatch match);
    static Filter in(const QString &field, const QVariantList &values);
    static Filter notIn(const QString &field, const QVariantList &values);
    static Filter includes(const QString &field, const QStringList &values);
    static Filter excludes(const QString &field, const QStringList &values);
    static Filter isNull(const QString &field);
    static Filter isNotNull(const QString &field);
    static Filter allOf(const QList<Filter> &filters);
    static Filter anyOf(const QList<Filter> &filters);
    static Filter negate(const Filter &filter);

    bool isValid() const { return m_error.isEmpty() && !m_text.isEmpty(); }
    bool isEmpty() const { return m_text.isEmpty() && m_error.isEmpty(); }
    QString error() const { return m_error; }
    QString toSoql() const { return m_text; }

private:
    static Filter invalid(const QString &error);
    static Filter list(const QString &field, const QString &op, const QVariantList &values);
    static Filter join(const QList<Filter> &filters, const QString &op);

    QString m_text;
    QString m_error;
    bool m_compound = false; // needs parentheses when nested
};

class Builder {
public:
    explicit Builder(const QString &sobject);

    Builder &select(const QStringList &fields);
    Builder &where(const Filter &filter); // several calls are ANDed
    Builder &orderBy(const QString &field, bool ascending = true, std::optional<bool> nullsFirst = std::nullopt);
    Builder &limit(qint64 n);
    Builder &offset(qint64 n);

    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    // The query text, or an empty string when any part was invalid.
    QString build() const;

private:
    void setError(const QString &error);

    QString m_sobject;
    QStringList m_fields;
    QList<Filter> m_filters;
    QStringList m_order;
    std::optional<qint64> m_limit;
    std::optional<qint64> m_offset;
    QString m_error;
};

} // namespace fs::soql
