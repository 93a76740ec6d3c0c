#pragma once

// One message for "this file is not valid JSON" wherever a file is parsed (workspaces,
// profiles): nlohmann reports a byte offset; an editor shows line:column.

#include <QByteArray>
#include <QString>

#include <algorithm>
#include <cstddef>

namespace hd {

// "<origin>:<line>:<column>: not valid JSON" for a parse error at byte (1-based, as nlohmann).
inline QString jsonSyntaxError(const QString &origin, const QByteArray &text, std::size_t byte)
{
    const auto offset = std::min<qsizetype>(qsizetype(byte), text.size());
    const QByteArray before = text.left(std::max<qsizetype>(offset - 1, 0));
    const int line = int(before.count('\n')) + 1;
    const int column = int(offset - before.lastIndexOf('\n') - 1);
    return QStringLiteral("%1:%2:%3: not valid JSON").arg(origin).arg(line).arg(column);
}

} // namespace hd
