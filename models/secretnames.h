#pragma once

// Which field and header names hold secrets. A name is compared normalised: lower case, without
// '_', '-', '.' and spaces, so access_token, accessToken and Access-Token are one name. A field
// is secret when its normalised name, or the last segment of a path such as user[password] or
// creds.key, is one of the listed names or ends in one of the listed suffixes. Lookups never
// allocate: names are normalised into a small buffer and found in a sorted list.

#include <QString>
#include <QStringList>

#include <string>
#include <string_view>
#include <vector>

namespace hd {

class SecretNames
{
public:
    SecretNames(); // the built-in rules

    bool isSecretField(QStringView name) const;
    bool isSecretHeader(QStringView name) const;
    void addFieldName(QStringView name);

    // For the redaction report: exact names and "*suffix" rules, sorted.
    QStringList fieldRules() const;
    static QStringList headerRules();

    // Longest name that is still compared (longer keys are not secret names).
    static constexpr qsizetype MaxNameLength = 128;

private:
    bool isSecretNormalised(std::u16string_view n) const;

    std::vector<std::u16string> m_exact; // sorted, normalised
};

} // namespace hd
