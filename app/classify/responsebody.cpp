#include "responsebody.h"

namespace hd {

int ResponseBody::nestingDepth(const QByteArray &text, int limit)
{
    int depth = 0;
    int maxDepth = 0;
    bool inString = false;
    bool escaped = false;
    for (char c : text) {
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
        case '{':
        case '[':
            if (++depth > maxDepth) {
                maxDepth = depth;
                if (maxDepth > limit)
                    return maxDepth;
            }
            break;
        case '}':
        case ']':
            --depth;
            break;
        default:
            break;
        }
    }
    return maxDepth;
}

bool ResponseBody::looksBinary(const QByteArray &body)
{
    // NUL bytes or a high share of control characters in the first 512 bytes.
    const qsizetype n = std::min<qsizetype>(body.size(), 512);
    int control = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(body[i]);
        if (c == 0)
            return true;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
            ++control;
    }
    return n > 0 && control * 10 > n;
}

ParsedBody ResponseBody::parse(const QByteArray &body, const QByteArray &contentType)
{
    ParsedBody out;
    out.isBinary = looksBinary(body);
    if (out.isBinary)
        return out;
    qsizetype first = 0;
    while (first < body.size() && std::isspace(static_cast<unsigned char>(body[first])))
        ++first;
    const char lead = first < body.size() ? body[first] : '\0';
    const QByteArray ct = contentType.toLower();
    out.looksLikeJson = lead == '{' || lead == '[' || ct.contains("json");
    out.isHtml
        = ct.contains("html") || (lead == '<' && body.mid(first, 512).toLower().contains("<html"));
    if (!out.looksLikeJson || (lead != '{' && lead != '['))
        return out;
    if (body.size() > ParseCap) {
        out.problem = QStringLiteral("body of %1 bytes is larger than the %2 MiB parse limit; "
                                     "classified by status only")
                          .arg(body.size())
                          .arg(ParseCap / (1024 * 1024));
        return out;
    }
    if (nestingDepth(body, MaxDepth) > MaxDepth) {
        out.problem = QStringLiteral("JSON nested deeper than %1 levels; classified by status only")
                          .arg(MaxDepth);
        return out;
    }
    auto j = nlohmann::json::parse(body.constBegin() + first, body.constEnd(), nullptr, false);
    if (j.is_discarded() && !QByteArrayView(body).isValidUtf8()) {
        // nlohmann rejects invalid UTF-8 inside strings; vendors send Latin-1 now and then. Parse a
        // copy with the bad bytes replaced (U+FFFD) rather than lose the message.
        const QByteArray repaired
            = QString::fromUtf8(body.constData() + first, body.size() - first).toUtf8();
        j = nlohmann::json::parse(repaired.constBegin(), repaired.constEnd(), nullptr, false);
    }
    if (j.is_discarded()) {
        out.problem = QStringLiteral("body is not valid JSON (truncated or malformed)");
        return out;
    }
    out.json = std::move(j);
    return out;
}

QString ResponseBody::displayText(const QByteArray &body, bool isBinary)
{
    if (body.isEmpty())
        return {};
    if (isBinary)
        return QStringLiteral("[binary body, %1 bytes]").arg(body.size());
    if (body.size() <= DisplayCap)
        return QString::fromUtf8(body);
    // Cut on a UTF-8 boundary: step back over continuation bytes (10xxxxxx).
    qsizetype cut = DisplayCap;
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80)
        --cut;
    return QString::fromUtf8(body.constData(), cut)
           + QStringLiteral("\n[… %1 more bytes not shown]").arg(body.size() - cut);
}

const nlohmann::json *jsonAt(const nlohmann::json &root, const std::string &pointer)
{
    // A forgiving JSON pointer: no exceptions, returns nullptr for anything missing.
    const nlohmann::json *cur = &root;
    if (pointer.empty() || pointer == "/")
        return cur;
    std::size_t pos = 1;
    while (pos <= pointer.size()) {
        std::size_t next = pointer.find('/', pos);
        if (next == std::string::npos)
            next = pointer.size();
        std::string token = pointer.substr(pos, next - pos);
        // ~1 → /, ~0 → ~
        for (std::size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
            if (i + 1 < token.size())
                token.replace(i, 2, token[i + 1] == '1' ? "/" : "~");
        }
        if (cur->is_object()) {
            auto it = cur->find(token);
            if (it == cur->end())
                return nullptr;
            cur = &*it;
        } else if (cur->is_array()) {
            if (token.empty() || token.size() > 9
                || token.find_first_not_of("0123456789") != std::string::npos)
                return nullptr;
            const std::size_t idx = std::stoul(token);
            if (idx >= cur->size())
                return nullptr;
            cur = &(*cur)[idx];
        } else {
            return nullptr;
        }
        pos = next + 1;
    }
    return cur;
}

std::optional<QString> jsonScalarText(const nlohmann::json &v)
{
    if (v.is_string()) {
        const auto &s = v.get_ref<const std::string &>();
        return QString::fromUtf8(s.data(), qsizetype(s.size()));
    }
    if (v.is_number_integer() || v.is_number_unsigned() || v.is_boolean() || v.is_number_float()) {
        const std::string s = v.dump();
        return QString::fromUtf8(s.data(), qsizetype(s.size()));
    }
    return std::nullopt;
}

} // namespace hd
