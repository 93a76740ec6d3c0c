#include "responsebody.h"

#include "xmlbody.h"

#include <QStringDecoder>

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

QByteArray ResponseBody::charsetOf(const QByteArray &contentType)
{
    const QByteArray ct = contentType.toLower();
    const qsizetype at = ct.indexOf("charset=");
    if (at < 0)
        return {};
    QByteArray cs = ct.mid(at + 8);
    if (const qsizetype semi = cs.indexOf(';'); semi >= 0)
        cs.truncate(semi);
    cs = cs.trimmed();
    if (cs.size() >= 2 && cs.startsWith('"') && cs.endsWith('"'))
        cs = cs.mid(1, cs.size() - 2);
    return cs.left(40);
}

ParsedBody ResponseBody::parse(const QByteArray &body, const QByteArray &contentType)
{
    ParsedBody out;
    out.isBinary = looksBinary(body);
    if (out.isBinary)
        return out;
    QByteArray text = body;
    if (text.startsWith("\xEF\xBB\xBF")) {
        out.hadBom = true;
        text = text.mid(3);
    }
    const QByteArray charset = charsetOf(contentType);
    bool decoded = false;
    QString decodedText;
    if (!charset.isEmpty() && charset != "utf-8" && charset != "utf8" && charset != "us-ascii"
        && body.size() <= ParseCap) {
        QStringDecoder decoder(charset.constData());
        if (decoder.isValid()) {
            decodedText = decoder.decode(text);
            out.charset = QString::fromLatin1(charset);
            out.utf8 = decodedText.toUtf8();
            text = out.utf8;
            decoded = true;
        }
    }
    if (out.hadBom && !decoded)
        out.utf8 = text;
    const QByteArray &src = text;
    qsizetype first = 0;
    while (first < src.size() && std::isspace(static_cast<unsigned char>(src[first])))
        ++first;
    const char lead = first < src.size() ? src[first] : '\0';
    const QByteArray ct = contentType.toLower();
    out.looksLikeJson = lead == '{' || lead == '[' || ct.contains("json");
    out.isHtml
        = ct.contains("html") || (lead == '<' && src.mid(first, 512).toLower().contains("<html"));
    if (out.isHtml && lead != '{' && lead != '[') {
        out.html = HtmlText::headline(decoded ? decodedText
                                              : QString::fromUtf8(src.left(HtmlText::ScanCap)));
        return out;
    }
    if (lead == '<' && src.size() <= ParseCap) {
        // XML error bodies (S3, AWS query APIs, SOAP faults). With a charset from the header the
        // decoded text is read, so an encoding declaration cannot contradict it.
        auto tree = decoded ? XmlBody::toJson(decodedText) : XmlBody::toJson(src);
        if (tree) {
            out.isXml = true;
            out.json = std::move(tree);
            return out;
        }
        if (ct.contains("xml"))
            out.problem = QStringLiteral("body is not well-formed XML (truncated or malformed)");
        return out;
    }
    if (!out.looksLikeJson || (lead != '{' && lead != '['))
        return out;
    if (src.size() > ParseCap) {
        out.problem = QStringLiteral("body of %1 bytes is larger than the %2 MiB parse limit; "
                                     "classified by status only")
                          .arg(src.size())
                          .arg(ParseCap / (1024 * 1024));
        return out;
    }
    if (nestingDepth(src, MaxDepth) > MaxDepth) {
        out.problem = QStringLiteral("JSON nested deeper than %1 levels; classified by status only")
                          .arg(MaxDepth);
        return out;
    }
    auto j = nlohmann::json::parse(src.constBegin() + first, src.constEnd(), nullptr, false);
    if (j.is_discarded() && !QByteArrayView(src).isValidUtf8()) {
        // nlohmann rejects invalid UTF-8 inside strings; vendors send Latin-1 now and then. Parse a
        // copy with the bad bytes replaced (U+FFFD) rather than lose the message.
        const QByteArray repaired
            = QString::fromUtf8(src.constData() + first, src.size() - first).toUtf8();
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
