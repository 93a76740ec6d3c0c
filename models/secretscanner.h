#pragma once

// SecretScanner: finds the values of secret fields in untrusted text — JSON (also truncated,
// malformed or escaped inside another JSON string), form and query strings, multipart/form-data
// parts, header lines, URL user info — without regular expressions. Every rule is local: a key
// is recognised where it stands (the quoted name before a ':', the name before an '='), never
// by counting quotes from the start of the text, so an unbalanced quote or a 30,000-character
// string before a secret cannot hide it. The scan is one pass: work per character is bounded
// (names up to 128 characters are looked at), and a value that is masked is skipped over, so
// the time is linear in the length of the text.
//
// The rules (docs/support-bundle.md, "Redaction"):
//  - "key": value (also 'key', \"key\" at any escaping level, and key: value at the start of a
//    line or string, or after '{' or ','): a string value is masked inside its quotes; an
//    object or array is masked whole (also when it never closes); a number or bare word is
//    replaced by "[REDACTED]"; null, true and false stay;
//  - key=value in forms, queries and fragments (names may be percent-encoded or path-like,
//    user[password]); the value runs to '&', whitespace or a quote;
//  - multipart: the body of a part whose Content-Disposition name is secret, up to the next
//    boundary line (or the end);
//  - URLs: the password of user:password@, or the whole user info when there is no password
//    (https://ghp_token@github.com);
//  - the same rules once more on the percent-decoded text when it has %XX escapes (a form
//    value holding JSON), the spans mapped back to the original.

#include "secretnames.h"

#include <QString>

#include <vector>

namespace hd {

struct SecretSpan
{
    qsizetype start = 0;
    qsizetype end = 0;    // exclusive
    bool quoted = false;  // a whole non-string JSON value: replaced by "[REDACTED]"
    int quoteEscapes = 0; // inside a JSON string at level n: the quotes get n backslashes
    const char *where = "";
    QString name; // the field or header name, for records; never the value
};

class SecretScanner
{
public:
    explicit SecretScanner(const SecretNames &names)
        : m_names(names)
    {}

    void scan(QStringView text, std::vector<SecretSpan> &out) const;

private:
    const SecretNames &m_names;
};

} // namespace hd
