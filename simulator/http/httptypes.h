#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

namespace fs::sim {

// A request as the simulator's handlers see it: copied out of QHttpServerRequest at once, so a
// handler may answer later (latency faults) and composite subrequests can be synthesised.
struct HttpRequest {
    QByteArray method; // upper case: GET, POST, PATCH, PUT, DELETE, HEAD
    QString path;      // decoded path, e.g. /services/data/v59.0/sobjects/Account
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress remote;
    bool tls = false;
    bool internal = false; // a composite subrequest: no auth, no limits, no faults

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
};

struct HttpResponse {
    enum class Fault { None, Reset, Truncate };

    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray contentType = "application/json;charset=UTF-8";
    Fault fault = Fault::None;
    int delayMs = 0;

    void setHeader(const QByteArray &name, const QByteArray &value)
    {
        for (auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
                h.second = value;
                return;
            }
        }
        headers.append({ name, value });
    }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

} // namespace fs::sim
