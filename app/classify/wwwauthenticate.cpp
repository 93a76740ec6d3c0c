#include "wwwauthenticate.h"

namespace hd {
namespace {

bool isTokenChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::strchr("!#$%&'*+-.^_`|~", c);
}

} // namespace

QString AuthChallenge::param(const char *name) const
{
    for (const auto &[k, v] : params)
        if (k == QLatin1String(name))
            return v;
    return {};
}

QList<AuthChallenge> WwwAuthenticate::parse(const QByteArray &value)
{
    const QByteArray v = value.left(8192);
    QList<AuthChallenge> out;
    qsizetype i = 0;
    const qsizetype n = v.size();
    auto skipSpace = [&] {
        while (i < n && (v[i] == ' ' || v[i] == '\t'))
            ++i;
    };
    auto readToken = [&] {
        const qsizetype s = i;
        while (i < n && isTokenChar(v[i]))
            ++i;
        return v.mid(s, i - s);
    };
    while (i < n && out.size() < 16) {
        skipSpace();
        while (i < n && v[i] == ',') {
            ++i;
            skipSpace();
        }
        const QByteArray scheme = readToken();
        if (scheme.isEmpty()) {
            ++i; // stray character: skip it rather than loop
            continue;
        }
        AuthChallenge c;
        c.scheme = QString::fromLatin1(scheme);
        skipSpace();
        // auth-params: name = value, separated by commas, until a token that is not followed by
        // '=' (the next challenge's scheme) — or a token68 right after the scheme.
        bool firstItem = true;
        while (i < n && c.params.size() < 32) {
            bool sawComma = false;
            while (i < n && (v[i] == ',' || v[i] == ' ' || v[i] == '\t')) {
                if (v[i] == ',')
                    sawComma = true;
                ++i;
            }
            if (i >= n)
                break;
            const qsizetype nameStart = i;
            const QByteArray name = readToken();
            if (name.isEmpty()) {
                ++i; // a stray character: skip it, never loop on it
                continue;
            }
            skipSpace();
            const bool token68
                = firstItem && !sawComma
                  && (i >= n || v[i] != '=' || i + 1 >= n || v[i + 1] == '=' || v[i + 1] == ',');
            firstItem = false;
            if (token68) {
                while (i < n && v[i] == '=')
                    ++i;
                continue;
            }
            if (i >= n || v[i] != '=') {
                i = nameStart; // the next challenge starts here
                break;
            }
            ++i; // '='
            skipSpace();
            QString val;
            if (i < n && v[i] == '"') {
                ++i;
                QByteArray raw;
                while (i < n && v[i] != '"') {
                    if (v[i] == '\\' && i + 1 < n)
                        ++i;
                    if (raw.size() < 2000)
                        raw += v[i];
                    ++i;
                }
                ++i; // closing quote
                val = QString::fromUtf8(raw);
            } else {
                val = QString::fromLatin1(readToken()).left(2000);
            }
            c.params.append({QString::fromLatin1(name).toLower(), val});
        }
        out.append(c);
    }
    return out;
}

std::optional<AuthChallenge> WwwAuthenticate::withError(const QByteArray &value)
{
    for (const AuthChallenge &c : parse(value))
        if (!c.param("error").isEmpty())
            return c;
    return std::nullopt;
}

} // namespace hd
