#include "recordjson.h"

#include "transport/httperrors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimeZone>

namespace fs::engine::recordjson {

namespace {

bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    const QJsonArray arr = v.toArray();
    for (const QJsonValue &item : arr) {
        if (item.isString())
            out.append(item.toString());
    }
    return out;
}

} // namespace

bool isApiName(const QString &name)
{
    if (name.isEmpty() || name.size() > 255)
        return false;
    const QChar first = name.front();
    if (!((first >= u'a' && first <= u'z') || (first >= u'A' && first <= u'Z')))
        return false;
    for (QChar c : name) {
        if (!isAsciiAlnum(c) && c != u'_')
            return false;
    }
    return true;
}

bool isRecordId(const QString &id)
{
    if (id.size() != 15 && id.size() != 18)
        return false;
    for (QChar c : id) {
        if (!isAsciiAlnum(c))
            return false;
    }
    return true;
}

QString to18(const QString &id)
{
    if (id.size() != 15)
        return id;
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    QString out = id;
    for (int chunk = 0; chunk < 3; ++chunk) {
        int v = 0;
        for (int i = 0; i < 5; ++i) {
            const QChar c = id.at(chunk * 5 + i);
            if (c >= u'A' && c <= u'Z')
                v |= 1 << i;
        }
        out.append(QLatin1Char(kAlphabet[v]));
    }
    return out;
}

QDateTime parseDateTime(const QString &text)
{
    QString t = text.trimmed();
    if (t.isEmpty())
        return {};
    // Salesforce writes the offset without a colon (+0000); normalise to +00:00 for Qt.
    static const QLatin1String kPlus("+"), kMinus("-");
    if (t.size() >= 5) {
        const QString tail = t.right(5);
        if ((tail.startsWith(kPlus) || tail.startsWith(kMinus)) && tail.mid(1).toInt() >= 0
            && !tail.contains(u':') && t.size() > 10)
            t.insert(t.size() - 2, u':');
    }
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        return {};
    return dt.toUTC();
}

QByteArray httpDateCeil(const QDateTime &when)
{
    QDateTime utc = when.toUTC();
    const int ms = utc.time().msec();
    if (ms > 0)
        utc = utc.addMSecs(1000 - ms);
    return QLocale::c().toString(utc, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

bool isNewer(const QString &server, const QString &expected)
{
    const QDateTime s = parseDateTime(server);
    const QDateTime e = parseDateTime(expected);
    if (s.isValid() && e.isValid())
        return s > e;
    return server.trimmed() != expected.trimmed();
}

EngineError errorFromJson(int httpStatus, const QJsonValue &body, const QString &fallbackMessage)
{
    QJsonObject first;
    if (body.isArray() && !body.toArray().isEmpty())
        first = body.toArray().first().toObject();
    else if (body.isObject())
        first = body.toObject();

    QString code = first.value(QLatin1String("errorCode")).toString();
    if (code.isEmpty())
        code = first.value(QLatin1String("statusCode")).toString();
    if (code.isEmpty())
        code = first.value(QLatin1String("error")).toString();
    QString message = first.value(QLatin1String("message")).toString();
    if (message.isEmpty())
        message = first.value(QLatin1String("error_description")).toString();
    if (code.isEmpty() && httpStatus == 404)
        code = QStringLiteral("NOT_FOUND");
    if (code.isEmpty() && httpStatus == 412)
        code = QStringLiteral("PRECONDITION_FAILED");

    EngineError e;
    e.category = HttpErrors::categoryFor(httpStatus, code);
    e.httpStatus = httpStatus;
    e.errorCode = code;
    e.retryable = httpStatus >= 500 || isRetryableRecordError(code);
    e.message = message.isEmpty() ? fallbackMessage : message;
    e.detail = message.isEmpty() ? QString() : fallbackMessage;
    e.fields = stringList(first.value(QLatin1String("fields")));
    return e;
}

EngineError errorFromResponse(int httpStatus, const QByteArray &body, const QString &fallbackMessage)
{
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &perr);
    QJsonValue v;
    if (perr.error == QJsonParseError::NoError) {
        if (doc.isArray())
            v = doc.array();
        else if (doc.isObject())
            v = doc.object();
    }
    return errorFromJson(httpStatus, v, fallbackMessage);
}

EngineError errorFromSaveError(const QJsonValue &entry)
{
    const QJsonObject o = entry.toObject();
    QString code = o.value(QLatin1String("statusCode")).toString();
    if (code.isEmpty())
        code = o.value(QLatin1String("errorCode")).toString();
    EngineError e;
    e.category = HttpErrors::categoryFor(400, code);
    e.errorCode = code;
    e.retryable = isRetryableRecordError(code);
    e.message = o.value(QLatin1String("message")).toString();
    if (e.message.isEmpty())
        e.message = code.isEmpty() ? QStringLiteral("The record was not saved.") : code;
    e.fields = stringList(o.value(QLatin1String("fields")));
    return e;
}

SaveResult saveResultFromJson(const QJsonValue &value)
{
    SaveResult r;
    const QJsonObject o = value.toObject();
    r.id = o.value(QLatin1String("id")).toString();
    r.success = o.value(QLatin1String("success")).toBool();
    r.created = o.value(QLatin1String("created")).toBool();
    const QJsonArray errors = o.value(QLatin1String("errors")).toArray();
    for (const QJsonValue &err : errors)
        r.errors.append(errorFromSaveError(err));
    if (!r.success && r.errors.isEmpty())
        r.errors.append(EngineError::make(EngineError::Category::Server,
            QStringLiteral("The server reported a failure without an error."), QStringLiteral("UNKNOWN_EXCEPTION")));
    return r;
}

bool isRetryableRecordError(const QString &code)
{
    return code == u"UNABLE_TO_LOCK_ROW";
}

} // namespace fs::engine::recordjson
