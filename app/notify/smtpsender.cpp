#include "smtpsender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace hd::smtpsender {
namespace {

struct Upload
{
    const QByteArray *data = nullptr;
    qsizetype offset = 0;
};

size_t readBody(char *buffer, size_t size, size_t count, void *user)
{
    auto *u = static_cast<Upload *>(user);
    const size_t room = size * count;
    const size_t left = size_t(u->data->size() - u->offset);
    const size_t n = std::min(room, left);
    if (n > 0) {
        std::memcpy(buffer, u->data->constData() + u->offset, n);
        u->offset += qsizetype(n);
    }
    return n;
}

int progress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *abort = static_cast<const std::atomic<bool> *>(user);
    return abort && abort->load() ? 1 : 0; // non-zero aborts the transfer
}

bool transientCode(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
        return true;
    default:
        return false;
    }
}

struct CurlList
{
    curl_slist *list = nullptr;
    ~CurlList() { curl_slist_free_all(list); }
    void append(const QString &s) { list = curl_slist_append(list, s.toUtf8().constData()); }
};

} // namespace

void initialize()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SmtpResult send(const SmtpMessage &m, const std::atomic<bool> *abort)
{
    initialize();
    SmtpResult result;
    CURL *curl = curl_easy_init();
    if (!curl) {
        result.error = QStringLiteral("SMTP: could not start libcurl");
        return result;
    }
    Upload upload{&m.data, 0};
    CurlList recipients;
    for (const QString &to : m.to)
        recipients.append(u'<' + to + u'>');
    const QByteArray url = m.url.toUtf8();
    const QByteArray from = (u'<' + m.from + u'>').toUtf8();
    const QByteArray user = m.username.toUtf8();
    QByteArray password = m.password.toUtf8();
    const QByteArray caFile = m.caFile.toUtf8();

    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    // Only SMTP: a URL edited to file:// or http:// must not make this a general fetcher.
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); // worker thread: no SIGALRM for timeouts
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(m.connectTimeoutMs));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(m.totalTimeoutMs));
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     m.requireTls ? long(CURLUSESSL_ALL) : long(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!caFile.isEmpty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, caFile.constData());
    if (!password.isEmpty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password.constData());
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.list);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, readBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(m.data.size()));
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool> *>(abort));
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);

    const CURLcode code = curl_easy_perform(curl);
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    curl_easy_cleanup(curl);
    password.fill('\0');

    result.replyCode = int(reply);
    if (code == CURLE_OK) {
        result.ok = true;
        return result;
    }
    // curl_easy_strerror is a fixed sentence per code: it never quotes the server or the login.
    result.error
        = code == CURLE_ABORTED_BY_CALLBACK
              ? QStringLiteral("SMTP: abandoned (shutting down)")
              : QStringLiteral("SMTP: %1").arg(QString::fromUtf8(curl_easy_strerror(code)));
    if (reply > 0)
        result.error += QStringLiteral(" (reply %1)").arg(reply);
    result.transient = code != CURLE_ABORTED_BY_CALLBACK
                       && (transientCode(code) || (reply >= 400 && reply < 500));
    return result;
}

} // namespace hd::smtpsender
