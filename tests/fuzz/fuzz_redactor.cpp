// libFuzzer target: the redactor must never let a planted secret out (issue #16).
//
// The input is split into control bytes, a secret and a body. The secret is hidden at a
// position the input chooses inside the body (repeated up to 1 MiB if the input asks), in one
// of the forms the redactor promises to catch — a JSON field (plain, nested, escaped inside a
// string), a form or query field, a multipart part, a header line, URL user info, or a value
// held by the redactor in some encoding — then redactBody runs, and the process traps if the
// secret (or the exact form that was planted) is still in the output.
//
// Uses only models/redactor (with its scanner, names and value set) and QtCore.
//   build-fuzz/tests/fuzz/fuzz_redactor -max_total_time=300 tests/fuzz/corpus/redactor

#include "redactor.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <cstddef>
#include <cstdint>

using namespace hd;

namespace {

const char *const Keys[] = {"password",     "client_secret",
                            "access_token", "refresh_token",
                            "api_key",      "Authorization",
                            "cookie",       "key",
                            "signature",    "sig",
                            "passphrase",   "jwt",
                            "credentials",  "X-Amz-Signature",
                            "p-ticket",     "sec"};
const char *const Headers[]
    = {"Authorization",        "Access-Token", "Private-Token", "APCA-API-SECRET-KEY",
       "CB-ACCESS-PASSPHRASE", "X-Api-Key",    "Cookie"};

struct Reader
{
    const uint8_t *data;
    size_t size;
    size_t pos = 0;
    uint8_t byte() { return pos < size ? data[pos++] : 0; }
};

QString fieldSecret(Reader &in, int len)
{
    static const char alphabet[]
        = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~-";
    QString s = QStringLiteral("Zq");
    for (int i = 0; i < len; ++i)
        s += QLatin1Char(alphabet[in.byte() % (sizeof(alphabet) - 1)]);
    return s;
}

QString heldSecret(Reader &in, int len)
{
    static const QString alphabet = QStringLiteral(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+=\"\\&<>' %#:;éü€");
    QString s = QStringLiteral("Hv");
    for (int i = 0; i < len; ++i)
        s += alphabet[in.byte() % alphabet.size()];
    return s;
}

QString encoded(const QString &v, int how)
{
    const QByteArray utf8 = v.toUtf8();
    switch (how % 8) {
    case 0:
        return v;
    case 1:
        return QString::fromLatin1(QUrl::toPercentEncoding(v));
    case 2:
        return QString::fromLatin1(utf8.toBase64());
    case 3:
        return QString::fromLatin1(
            utf8.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    case 4: {
        QString j;
        for (QChar c : v)
            j += c == u'"'    ? QStringLiteral("\\\"")
                 : c == u'\\' ? QStringLiteral("\\\\")
                 : c == u'/'  ? QStringLiteral("\\/")
                              : QString(c);
        return j;
    }
    case 5: {
        QString j;
        for (QChar c : v)
            j += QStringLiteral("\\u%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
        return j;
    }
    case 6:
        return v.toHtmlEscaped();
    default:
        return QString::fromLatin1(QByteArray("user:" + utf8).toBase64());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    Reader in{data, size};
    const int kind = in.byte() % 11;
    const int secretLen = 8 + in.byte() % 24;
    const int how = in.byte();
    const uint32_t where = uint32_t(in.byte()) << 8 | in.byte();
    const int repeat = 1 + in.byte() % 64;
    const QString key = QString::fromLatin1(Keys[in.byte() % std::size(Keys)]);
    const QString header = QString::fromLatin1(Headers[in.byte() % std::size(Headers)]);
    const bool held = kind == 10;
    const QString secret = held ? heldSecret(in, secretLen) : fieldSecret(in, secretLen);

    // The rest of the input is the body, repeated up to 1 MiB.
    const QString chunk = QString::fromUtf8(reinterpret_cast<const char *>(data + in.pos),
                                            qsizetype(size - std::min(in.pos, size)));
    QString body;
    for (int i = 0; i < repeat && body.size() + chunk.size() <= 1024 * 1024; ++i)
        body += chunk;

    QString plant;
    switch (kind) {
    case 0:
        plant = QStringLiteral("\"%1\":\"%2\"").arg(key, secret);
        break;
    case 1:
        plant = QStringLiteral("\"%1\":{\"a\":[1,\"%2\"]}").arg(key, secret);
        break;
    case 2:
        plant = QStringLiteral("&%1=%2&").arg(key, secret);
        break;
    case 3:
        plant = QStringLiteral("\r\n--Fz\r\nContent-Disposition: form-data; name=\"%1\"\r\n\r\n"
                               "%2\r\n--Fz--\r\n")
                    .arg(key, secret);
        break;
    case 4:
        plant = QStringLiteral(" https://h/p?%1=%2#f ").arg(key, secret);
        break;
    case 5:
        plant = QStringLiteral(" https://h/cb#%1=%2&x ").arg(key, secret);
        break;
    case 6:
        plant = QStringLiteral(" https://%1@h/ ").arg(secret);
        break;
    case 7:
        plant = QStringLiteral(" https://u:%1@h/ ").arg(secret);
        break;
    case 8:
        plant = QStringLiteral("\r\n%1: %2\r\n").arg(header, secret);
        break;
    case 9:
        plant = QStringLiteral("\\\"%1\\\":\\\"%2\\\"").arg(key, secret);
        break;
    default:
        plant = encoded(secret, how);
        break;
    }
    // Only plants that are the one occurrence of the secret count: the body may not hold it
    // (or the planted form) already, and the plant may not create a second one with its
    // neighbours.
    const QString form = held ? plant : secret;
    if (body.contains(secret) || body.contains(form))
        return 0;
    qsizetype at = body.isEmpty() ? 0 : qsizetype(where % uint32_t(body.size() + 1));
    if (at > 0 && at < body.size() && body[at].isLowSurrogate())
        --at;
    body.insert(at, plant);
    if (body.count(secret) != (held && form != secret ? 0 : 1) || body.count(form) != 1)
        return 0;

    Redactor r;
    if (held)
        r.addSecretValue(secret);
    const QString out = r.redactBody(body);
    if (out.contains(secret) || out.contains(form))
        __builtin_trap();
    return 0;
}
