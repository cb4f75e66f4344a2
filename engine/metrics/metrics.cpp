#include "metrics.h"

#include <QMutexLocker>

#include <cmath>

namespace fs::engine {

namespace {

    QString escapeLabelValue(const QString &v)
    {
        QString out;
        out.reserve(v.size());
        for (const QChar c : v) {
            if (c == u'\\')
                out += QStringLiteral("\\\\");
            else if (c == u'"')
                out += QStringLiteral("\\\"");
            else if (c == u'\n')
                out += QStringLiteral("\\n");
            else
                out += c;
        }
        return out;
    }

    QString escapeHelp(const QString &v)
    {
        QString out = v;
        out.replace(u'\\', QStringLiteral("\\\\"));
        out.replace(u'\n', QStringLiteral("\\n"));
        return out;
    }

    QString renderLabels(const Metrics::Labels &labels, const QString &extraName = {}, const QString &extraValue = {})
    {
        QStringList parts;
        for (const auto &l : labels)
            parts << l.first + QStringLiteral("=\"") + escapeLabelValue(l.second) + u'"';
        if (!extraName.isEmpty())
            parts << extraName + QStringLiteral("=\"") + escapeLabelValue(extraValue) + u'"';
        if (parts.isEmpty())
            return {};
        return u'{' + parts.join(u',') + u'}';
    }

    QString formatNumber(double v)
    {
        if (std::isinf(v))
            return v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
        if (std::isnan(v))
            return QStringLiteral("NaN");
        if (v == std::floor(v) && std::fabs(v) < 1e15)
            return QString::number(qint64(v));
        return QString::number(v, 'g', 12);
    }

    QString typeName(Metrics::Type t)
    {
        switch (t) {
        case Metrics::Type::Counter:
            return QStringLiteral("counter");
        case Metrics::Type::Gauge:
            return QStringLiteral("gauge");
        case Metrics::Type::Histogram:
            return QStringLiteral("histogram");
        }
        return QStringLiteral("untyped");
    }

    const std::vector<double> &durationBuckets()
    {
        static const std::vector<double> b { 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0 };
        return b;
    }

} // namespace

Metrics::Metrics()
{
    registerFamily(QStringLiteral("sf_requests_total"), QStringLiteral("Total Salesforce API requests"), Type::Counter);
    registerFamily(QStringLiteral("sf_request_duration_seconds"), QStringLiteral("Salesforce request latency"),
        Type::Histogram, durationBuckets());
    registerFamily(QStringLiteral("sf_rate_limit_remaining"), QStringLiteral("Remaining API calls"), Type::Gauge);
    registerFamily(
        QStringLiteral("sf_rate_limit_percent_used"), QStringLiteral("Percentage of API limit used"), Type::Gauge);
    registerFamily(QStringLiteral("sf_errors_total"), QStringLiteral("Salesforce errors by type"), Type::Counter);
    registerFamily(QStringLiteral("sf_token_refreshes_total"), QStringLiteral("Token refresh operations"), Type::Counter);
}

Metrics::~Metrics() = default;

std::shared_ptr<Metrics> Metrics::global()
{
    static const std::shared_ptr<Metrics> s_global = std::make_shared<Metrics>();
    return s_global;
}

void Metrics::registerFamily(const QString &name, const QString &help, Type type, const std::vector<double> &buckets)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_families.find(name);
    if (it != m_families.end()) {
        if (it->second.help.isEmpty())
            it->second.help = help;
        return;
    }
    Family f;
    f.help = help;
    f.type = type;
    f.bounds = buckets;
    if (type == Type::Histogram && f.bounds.empty())
        f.bounds = durationBuckets();
    m_families.emplace(name, std::move(f));
}

Metrics::Family *Metrics::family(const QString &name, Type type)
{
    auto it = m_families.find(name);
    if (it == m_families.end()) {
        Family f;
        f.type = type;
        if (type == Type::Histogram)
            f.bounds = durationBuckets();
        it = m_families.emplace(name, std::move(f)).first;
    }
    if (it->second.type != type)
        return nullptr; // wrong use of a family: ignore rather than corrupt the export
    return &it->second;
}

void Metrics::increment(const QString &name, const Labels &labels, double by)
{
    QMutexLocker lock(&m_mutex);
    Family *f = family(name, Type::Counter);
    if (!f || by < 0)
        return;
    auto &entry = f->samples[renderLabels(labels)];
    entry.first = labels;
    entry.second.value += by;
}

void Metrics::setGauge(const QString &name, const Labels &labels, double value)
{
    QMutexLocker lock(&m_mutex);
    Family *f = family(name, Type::Gauge);
    if (!f)
        return;
    auto &entry = f->samples[renderLabels(labels)];
    entry.first = labels;
    entry.second.value = value;
}

void Metrics::observe(const QString &name, const Labels &labels, double value)
{
    QMutexLocker lock(&m_mutex);
    Family *f = family(name, Type::Histogram);
    if (!f)
        return;
    auto &entry = f->samples[renderLabels(labels)];
    entry.first = labels;
    Sample &s = entry.second;
    if (s.buckets.size() != f->bounds.size())
        s.buckets.assign(f->bounds.size(), 0);
    for (size_t i = 0; i < f->bounds.size(); ++i) {
        if (value <= f->bounds[i]) {
            ++s.buckets[i];
            break;
        }
    }
    s.value += value;
    ++s.count;
}

void Metrics::recordRequest(const QString &operation, const QString &sobject, int status, double seconds)
{
    const QString op = operation.isEmpty() ? QStringLiteral("other") : operation;
    increment(QStringLiteral("sf_requests_total"),
        { { QStringLiteral("operation"), op }, { QStringLiteral("sobject"), sobject },
            { QStringLiteral("status"), QString::number(status) } });
    observe(QStringLiteral("sf_request_duration_seconds"),
        { { QStringLiteral("operation"), op }, { QStringLiteral("sobject"), sobject } }, seconds);
}

void Metrics::recordError(const QString &operation, const QString &errorCode, bool retryable)
{
    increment(QStringLiteral("sf_errors_total"),
        { { QStringLiteral("operation"), operation.isEmpty() ? QStringLiteral("other") : operation },
            { QStringLiteral("error_code"), errorCode.isEmpty() ? QStringLiteral("UNKNOWN") : errorCode },
            { QStringLiteral("retryable"), retryable ? QStringLiteral("true") : QStringLiteral("false") } });
}

void Metrics::recordTokenRefresh(bool success)
{
    increment(QStringLiteral("sf_token_refreshes_total"),
        { { QStringLiteral("result"), success ? QStringLiteral("success") : QStringLiteral("failure") } });
}

void Metrics::setRateLimit(const QString &limitType, qint64 remaining, double percentUsed)
{
    const Labels l { { QStringLiteral("limit_type"), limitType } };
    setGauge(QStringLiteral("sf_rate_limit_remaining"), l, double(remaining));
    setGauge(QStringLiteral("sf_rate_limit_percent_used"), l, percentUsed);
}

double Metrics::value(const QString &name, const Labels &labels) const
{
    QMutexLocker lock(&m_mutex);
    auto it = m_families.find(name);
    if (it == m_families.end())
        return 0.0;
    auto s = it->second.samples.find(renderLabels(labels));
    if (s == it->second.samples.end())
        return 0.0;
    if (it->second.type == Type::Histogram)
        return double(s->second.second.count);
    return s->second.second.value;
}

QString Metrics::prometheusText() const
{
    QMutexLocker lock(&m_mutex);
    QString out;
    for (const auto &[name, f] : m_families) {
        if (!f.help.isEmpty())
            out += QStringLiteral("# HELP ") + name + u' ' + escapeHelp(f.help) + u'\n';
        out += QStringLiteral("# TYPE ") + name + u' ' + typeName(f.type) + u'\n';
        for (const auto &[key, entry] : f.samples) {
            const Labels &labels = entry.first;
            const Sample &s = entry.second;
            if (f.type != Type::Histogram) {
                out += name + key + u' ' + formatNumber(s.value) + u'\n';
                continue;
            }
            quint64 cumulative = 0;
            for (size_t i = 0; i < f.bounds.size(); ++i) {
                cumulative += i < s.buckets.size() ? s.buckets[i] : 0;
                out += name + QStringLiteral("_bucket") + renderLabels(labels, QStringLiteral("le"), formatNumber(f.bounds[i]))
                    + u' ' + QString::number(cumulative) + u'\n';
            }
            out += name + QStringLiteral("_bucket") + renderLabels(labels, QStringLiteral("le"), QStringLiteral("+Inf"))
                + u' ' + QString::number(s.count) + u'\n';
            out += name + QStringLiteral("_sum") + key + u' ' + formatNumber(s.value) + u'\n';
            out += name + QStringLiteral("_count") + key + u' ' + QString::number(s.count) + u'\n';
        }
    }
    return out;
}

void Metrics::reset()
{
    QMutexLocker lock(&m_mutex);
    for (auto &[name, f] : m_families)
        f.samples.clear();
}

} // namespace fs::engine
