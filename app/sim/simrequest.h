#pragma once

// One parsed HTTP/1.1 request as the simulator's routes see it.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include <utility>

namespace hd {

struct SimRequest
{
    QByteArray method;
    QByteArray target;   // as sent, e.g. /prod/s000/v1/orders?x=1
    QString path;        // decoded path without the environment prefix
    QString environment; // dev, preprod, prod when the path started with one; else empty
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 contentLength = 0;
    bool keepAlive = true;

    QByteArray header(const char *name) const
    {
        for (const auto &[k, v] : headers)
            if (k.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        return {};
    }
    bool hasHeader(const char *name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        return false;
    }
};

} // namespace hd
