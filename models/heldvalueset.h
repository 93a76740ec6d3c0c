#pragma once

// HeldValueSet: the secret values held for the workspace (keychain secrets, tokens), each in
// every form it may take in a body, header or file — raw, percent-encoded, form-encoded,
// base64 and base64url (padded, unpadded, and the part that survives at any byte offset inside
// a longer base64 text such as a Basic header), JSON-escaped (with and without "\/", and every
// character as \uXXXX), HTML-escaped — compiled into one Aho–Corasick automaton. A search is
// one pass over the text (time linear in its length, whatever the number of values) plus, when
// the text has '\', '%' or '&', one pass over its decoded view (JSON escapes, %XX with UTF-8,
// HTML entities decoded), so a value escaped in a way no form lists is still found.
//
// A set is immutable once built: the Redactor swaps whole sets, and readers on other threads
// keep the one they took.

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace hd {

struct TextSpan
{
    qsizetype start = 0;
    qsizetype end = 0; // exclusive
};

class HeldValueSet
{
public:
    struct Entry
    {
        QString value;
        std::optional<qint64> deadlineMono; // drop after this (monotonic ms); none: keep
    };

    HeldValueSet() = default;
    explicit HeldValueSet(std::vector<Entry> entries);

    const std::vector<Entry> &entries() const { return m_entries; }
    bool isEmpty() const { return m_entries.empty(); }
    QStringList forms() const { return m_forms; }

    // Appends the span of every occurrence of a held value, in any form, in text.
    void find(QStringView text, std::vector<TextSpan> &spans) const;

    // Every form of one value that is searched for (values under MinLength have none).
    static QStringList formsOf(const QString &value);
    static constexpr qsizetype MinLength = 4;

private:
    struct Node
    {
        int fail = 0;
        int outLen = 0; // longest pattern ending here (via the fail chain); 0: none
        int edgeBegin = 0;
        int edgeCount = 0;
    };
    void build();
    int step(int state, char16_t c) const;
    void findRaw(QStringView text, std::vector<TextSpan> &spans) const;
    void findDecoded(QStringView text, std::vector<TextSpan> &spans) const;

    std::vector<Entry> m_entries;
    QStringList m_forms;
    std::vector<Node> m_nodes;
    std::vector<char16_t> m_edgeChar; // sorted per node
    std::vector<int> m_edgeTarget;
    std::vector<int> m_rootLow; // root transitions for code units < 256
    int m_maxLen = 0;
};

} // namespace hd
