#pragma once

// MetricsAddress: where /metrics listens, parsed from the --metrics HOST:PORT argument.
// HOST is an IPv4 address, an IPv6 address in brackets ([::1]), "localhost", or empty; an empty
// host or a bare PORT means 127.0.0.1 (loopback is the default: metrics are not for the whole
// network unless asked). PORT is 0..65535; 0 picks a free port (the server reports the real one).

#include <QHostAddress>
#include <QString>

#include <optional>

namespace hd {

struct MetricsAddress
{
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;

    // nullopt and a one-line reason (without the option name) for anything else.
    static std::optional<MetricsAddress> parse(const QString &text, QString *error = nullptr);
    // "127.0.0.1:9464", "[::1]:9464"
    static QString format(const QHostAddress &host, quint16 port);
};

} // namespace hd
