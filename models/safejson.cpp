#include "safejson.h"

#include "jsonsyntaxerror.h"

namespace hd {

std::size_t jsonDepthViolation(const char *begin, const char *end, std::size_t maxDepth)
{
    std::size_t depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char *p = begin; p < end; ++p) {
        const char c = *p;
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > maxDepth)
                return std::size_t(p - begin) + 1;
            break;
        case ']':
        case '}':
            // Unbalanced closers are the parser's business (a syntax error), not ours.
            if (depth > 0)
                --depth;
            break;
        default:
            break;
        }
    }
    return 0;
}

QString safeJsonMessage(const QString &origin, const QByteArray &text, const SafeJsonError &error)
{
    if (error.byte == 0)
        return QStringLiteral("%1: %2").arg(origin, error.reason);
    const QString where = jsonSyntaxError(origin, text, error.byte);
    return error.reason.isEmpty() ? where : where + QStringLiteral(": ") + error.reason;
}

} // namespace hd
