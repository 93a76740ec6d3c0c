#include "secretnames.h"

#include <algorithm>
#include <array>

namespace hd {
namespace {

constexpr std::u16string_view BuiltinFields[] = {
    u"password",
    u"passwd",
    u"pwd",
    u"pass",
    u"secret",
    u"clientsecret",
    u"sec",
    u"token",
    u"accesstoken",
    u"refreshtoken",
    u"idtoken",
    u"mdaccesstoken",
    u"pticket",
    u"apikey",
    u"privatekey",
    u"clientassertion",
    u"assertion",
    u"otp",
    u"sessiontoken",
    u"auth",
    u"authorization",
    u"proxyauthorization",
    u"cookie",
    u"setcookie",
    u"key",
    u"signature",
    u"sig",
    u"sign",
    u"passphrase",
    u"jwt",
    u"credentials",
    u"credential",
    u"xamzcredential",
    u"sessionid",
    u"sessionkey",
};

// A field whose normalised name ends in one of these is secret: newPassword, x_amz_signature,
// aws_secret_access_key, ws_passphrase — but not token_type, tokenUrl or access_key_id.
constexpr std::u16string_view FieldSuffixes[] = {
    u"token",      u"secret",     u"password",    u"passwd",        u"apikey",
    u"passphrase", u"signature",  u"secretkey",   u"privatekey",    u"accesskey",
    u"signingkey", u"sessionkey", u"credentials", u"authorization", u"cookie",
};

constexpr std::u16string_view BuiltinHeaders[] = {
    u"authorization",
    u"proxyauthorization",
    u"cookie",
    u"setcookie",
    u"xapikey",
    u"apikey",
    u"xapitoken",
    u"xauthtoken",
    u"xaccesstoken",
    u"xamzsecuritytoken",
    u"xcsrftoken",
    u"xxsrftoken",
    u"ocpapimsubscriptionkey",
    u"xfunctionskey",
    u"ptickettoken",
    u"pticket",
    u"accesstoken",
    u"privatetoken",
    // Exchange signature headers: CB-ACCESS-SIGN, OK-ACCESS-SIGN, KC-API-SIGN, X-BAPI-SIGN…
    u"cbaccesssign",
    u"okaccesssign",
    u"kcapisign",
    u"accesssign",
    u"xbapisign",
    u"xsign",
    u"apisign",
    u"xapisign",
};

// Headers: Access-Token, Private-Token, APCA-API-SECRET-KEY, CB-ACCESS-PASSPHRASE,
// CB-ACCESS-SIGN, KC-API-KEY, X-MBX-APIKEY, X-Signature…
constexpr std::u16string_view HeaderSuffixes[] = {
    u"apikey",    u"secret",          u"token",        u"passphrase", u"signature",
    u"secretkey", u"privatekey",      u"accesskey",    u"password",   u"authorization",
    u"cookie",    u"subscriptionkey", u"functionskey",
};

bool endsWith(std::u16string_view s, std::u16string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Normalises into buf (lower case, no '_', '-', '.', ' '); false when too long to be a name.
bool normalise(QStringView name, std::array<char16_t, SecretNames::MaxNameLength> &buf,
               std::u16string_view &out)
{
    qsizetype len = 0;
    for (QChar c : name) {
        char16_t u = c.unicode();
        if (u == u'_' || u == u'-' || u == u'.' || u == u' ')
            continue;
        if (u >= u'A' && u <= u'Z')
            u = char16_t(u + 32);
        else if (u >= 0x80)
            u = c.toLower().unicode();
        if (len == qsizetype(buf.size()))
            return false;
        buf[size_t(len++)] = u;
    }
    out = std::u16string_view(buf.data(), size_t(len));
    return true;
}

// The last segment of a path-like name: user[password] → password, creds.key → key.
QStringView lastSegment(QStringView name)
{
    while (name.endsWith(u']'))
        name.chop(1);
    qsizetype cut = -1;
    for (qsizetype i = name.size() - 1; i >= 0; --i) {
        const QChar c = name[i];
        if (c == u'[' || c == u']' || c == u'.' || c == u'/' || c == u':') {
            cut = i;
            break;
        }
    }
    return cut < 0 ? name : name.mid(cut + 1);
}

} // namespace

SecretNames::SecretNames()
{
    for (std::u16string_view n : BuiltinFields)
        m_exact.emplace_back(n);
    std::sort(m_exact.begin(), m_exact.end());
}

bool SecretNames::isSecretNormalised(std::u16string_view n) const
{
    if (n.empty())
        return false;
    if (std::binary_search(m_exact.begin(), m_exact.end(), n, [](const auto &a, const auto &b) {
            return std::u16string_view(a) < std::u16string_view(b);
        }))
        return true;
    return std::any_of(std::begin(FieldSuffixes), std::end(FieldSuffixes),
                       [n](std::u16string_view s) { return endsWith(n, s); });
}

bool SecretNames::isSecretField(QStringView name) const
{
    if (name.isEmpty() || name.size() > MaxNameLength)
        return false;
    std::array<char16_t, MaxNameLength> buf;
    std::u16string_view n;
    if (normalise(name, buf, n) && isSecretNormalised(n))
        return true;
    const QStringView last = lastSegment(name);
    return last.size() != name.size() && normalise(last, buf, n) && isSecretNormalised(n);
}

bool SecretNames::isSecretHeader(QStringView name) const
{
    std::array<char16_t, MaxNameLength> buf;
    std::u16string_view n;
    if (name.size() > MaxNameLength || !normalise(name, buf, n) || n.empty())
        return false;
    if (std::find(std::begin(BuiltinHeaders), std::end(BuiltinHeaders), n)
        != std::end(BuiltinHeaders))
        return true;
    if (std::any_of(std::begin(HeaderSuffixes), std::end(HeaderSuffixes),
                    [n](std::u16string_view s) { return endsWith(n, s); }))
        return true;
    return isSecretField(name);
}

void SecretNames::addFieldName(QStringView name)
{
    std::array<char16_t, MaxNameLength> buf;
    std::u16string_view n;
    if (name.size() > MaxNameLength || !normalise(name, buf, n) || n.empty())
        return;
    const auto at = std::lower_bound(
        m_exact.begin(), m_exact.end(), n,
        [](const std::u16string &a, std::u16string_view b) { return std::u16string_view(a) < b; });
    if (at == m_exact.end() || std::u16string_view(*at) != n)
        m_exact.emplace(at, n);
}

QStringList SecretNames::fieldRules() const
{
    QStringList out;
    for (const std::u16string &n : m_exact)
        out << QString::fromUtf16(n.data(), qsizetype(n.size()));
    for (std::u16string_view s : FieldSuffixes)
        out << QLatin1Char('*') + QString::fromUtf16(s.data(), qsizetype(s.size()));
    out.sort();
    return out;
}

QStringList SecretNames::headerRules()
{
    QStringList out;
    for (std::u16string_view n : BuiltinHeaders)
        out << QString::fromUtf16(n.data(), qsizetype(n.size()));
    for (std::u16string_view s : HeaderSuffixes)
        out << QLatin1Char('*') + QString::fromUtf16(s.data(), qsizetype(s.size()));
    out.sort();
    return out;
}

} // namespace hd
