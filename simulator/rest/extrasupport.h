#pragma once

#include "http/httptypes.h"
#include "rest/restapi.h"

#include <QJsonValue>
#include <QString>
#include <QUrl>

namespace fs::sim::extras {

// Small helpers shared by the REST resources that live outside restapi.cpp (replication, record
// ETags, query explain, sObject tree, composite graph). Simulator thread only.

inline HttpResponse jsonReply(int status, const QJsonValue &v)
{
    HttpResponse r;
    r.status = status;
    r.body = toJsonBytes(v);
    return r;
}

// A query parameter as Salesforce reads it: '+' is a space (form encoding), then percent-decoding.
inline QString queryParam(const HttpRequest &req, const QString &name)
{
    QString raw = req.query.queryItemValue(name, QUrl::FullyEncoded);
    raw.replace(u'+', QStringLiteral("%20"));
    return QUrl::fromPercentEncoding(raw.toUtf8());
}

inline HttpResponse methodNotAllowedReply(const QByteArray &method, const QString &allowed)
{
    HttpResponse r = errorResponse(405, QStringLiteral("METHOD_NOT_ALLOWED"),
        QStringLiteral("HTTP Method '%1' not allowed. Allowed are %2").arg(QString::fromLatin1(method), allowed));
    r.setHeader("Allow", allowed.toLatin1());
    return r;
}

} // namespace fs::sim::extras
