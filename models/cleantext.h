#pragma once

// Text that people type or servers send, made safe to keep and to show (incident notes and
// names, PagerDuty's webhook members): control and format characters out (terminal escapes,
// bidirectional overrides, NUL), line breaks kept or made spaces, bounded without splitting a
// surrogate pair (half a pair would not survive UTF-8), surrounding space trimmed.

#include <QString>

namespace hd {

enum class TextLines { One, Keep };

QString cleanText(const QString &text, qsizetype maxChars, TextLines lines = TextLines::One);
// At most maxChars, never half a surrogate pair; nothing else changed.
QString boundedText(QString text, qsizetype maxChars);

} // namespace hd
