#include "harentries.h"

#include "apievent.h"
#include "jsonsyntaxerror.h"
#include "responsebody.h"

#include <nlohmann/json.hpp>

namespace hd {
namespace {

QString str(const nlohmann::json &o, const char *key)
{
    if (!o.is_object())
        return {};
    auto it = o.find(key);
    if (it == o.end() || !it->is_string())
        return {};
    const auto &s = it->get_ref<const std::string &>();
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

QString HarReader::networkErrorName(const QString &e)
{
    const QString n = e.toUpper();
    if (n.contains(u"CONNECTION_RESET"))
        return QStringLiteral("ECONNRESET");
    if (n.contains(u"CONNECTION_REFUSED"))
        return QStringLiteral("ECONNREFUSED");
    if (n.contains(u"NAME_NOT_RESOLVED") || n.contains(u"NAME_RESOLUTION"))
        return QStringLiteral("ENOTFOUND");
    if (n.contains(u"TIMED_OUT"))
        return QStringLiteral("ETIMEDOUT");
    if (n.contains(u"CONNECTION_CLOSED") || n.contains(u"EMPTY_RESPONSE"))
        return QStringLiteral("other side closed");
    if (n.contains(u"CERT") || n.contains(u"SSL"))
        return QStringLiteral("TLS handshake failed");
    return QStringLiteral("network_other");
}

HarEntries HarReader::parse(const QByteArray &text)
{
    HarEntries out;
    if (ResponseBody::nestingDepth(text, 64) > 64) {
        out.error = QStringLiteral("not a HAR file: JSON nested deeper than 64 levels");
        return out;
    }
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text.constBegin(), text.constEnd());
    } catch (const nlohmann::json::parse_error &e) {
        out.error = jsonSyntaxError(QStringLiteral("HAR"), text, e.byte);
        return out;
    } catch (const nlohmann::json::exception &e) {
        out.error = QStringLiteral("HAR: not valid JSON: %1").arg(QString::fromUtf8(e.what()));
        return out;
    }
    const nlohmann::json *entries = j.is_object() && j.contains("log") && j["log"].is_object()
                                        ? jsonAt(j, "/log/entries")
                                        : nullptr;
    if (!entries || !entries->is_array()) {
        out.error = QStringLiteral("not a HAR file: no log.entries array");
        return out;
    }
    for (std::size_t i = 0; i < entries->size() && int(i) < MaxEntries; ++i) {
        const nlohmann::json &en = (*entries)[i];
        if (!en.is_object())
            continue;
        HarEntry h;
        if (const auto t = parseEventTime(str(en, "startedDateTime")))
            h.startedMs = *t;
        if (auto it = en.find("time"); it != en.end() && it->is_number())
            h.durationMs = std::max(0.0, it->get<double>());
        const nlohmann::json empty = nlohmann::json::object();
        const nlohmann::json &req
            = en.contains("request") && en["request"].is_object() ? en["request"] : empty;
        const nlohmann::json &res
            = en.contains("response") && en["response"].is_object() ? en["response"] : empty;
        h.request.method = str(req, "method");
        h.request.url = str(req, "url");
        if (auto it = req.find("headers"); it != req.end() && it->is_array())
            for (const auto &hd : *it)
                h.request.headers.append({str(hd, "name"), str(hd, "value")});
        if (auto it = req.find("postData"); it != req.end())
            h.request.body = str(*it, "text").left(64 * 1024);

        int status = 0;
        if (auto it = res.find("status"); it != res.end() && it->is_number_integer())
            status = int(std::clamp<qint64>(it->get<qint64>(), -1, 1000));
        if (auto it = res.find("headers"); it != res.end() && it->is_array())
            for (const auto &hd : *it)
                if (h.input.headers.size() < 200)
                    h.input.headers.append({str(hd, "name").toLatin1(), str(hd, "value").toUtf8()});
        if (auto it = res.find("content"); it != res.end() && it->is_object()) {
            const QString body = str(*it, "text");
            if (str(*it, "encoding") == u"base64")
                h.input.body = QByteArray::fromBase64(body.toLatin1());
            else
                h.input.body = body.toUtf8();
            const QString mime = str(*it, "mimeType");
            bool hasType = false;
            for (const auto &[k, v] : h.input.headers)
                hasType = hasType || k.compare("Content-Type", Qt::CaseInsensitive) == 0;
            if (!hasType && !mime.isEmpty())
                h.input.headers.append({QByteArrayLiteral("Content-Type"), mime.toLatin1()});
        }
        const QString browserError
            = str(en, "_error").isEmpty() ? str(res, "_error") : str(en, "_error");
        if (status > 0)
            h.input.status = status;
        else {
            h.input.networkError = networkErrorName(browserError);
            h.input.networkErrorDetail
                = browserError.isEmpty()
                      ? QStringLiteral("no response recorded in the HAR (status 0)")
                      : QStringLiteral("no response: the browser reported %1")
                            .arg(browserError.left(200));
        }
        if (h.startedMs > 0)
            h.input.nowMs = h.startedMs;
        out.entries.push_back(std::move(h));
    }
    return out;
}

} // namespace hd
