#pragma once

// What an HTML error page says, in one line: its <title>, else its first <h1>, else <h2>.
// A single forward scan over the first 64 KiB (no regular expressions, no backtracking):
// comments, the XML declaration, <!DOCTYPE>, <script> and <style> are skipped, never quoted;
// the common character references are decoded.

#include <QByteArray>
#include <QString>

namespace hd {

class HtmlText
{
public:
    static constexpr qsizetype ScanCap = 64 * 1024;

    struct Headline
    {
        QString text;
        QString element; // "title", "h1" or "h2"; empty when nothing was found
    };
    static Headline headline(const QString &html);
    // &amp; &lt; &gt; &quot; &apos; &#39; &nbsp; &#NNN; &#xHH; → characters.
    static QString decodeEntities(const QString &text);
};

} // namespace hd
