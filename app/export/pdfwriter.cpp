#include "pdfwriter.h"

#include <QDateTime>

#include <array>

namespace hd {
namespace {

// Advance widths (1/1000 em) of Helvetica for WinAnsi 32…126, from Adobe's AFM files.
constexpr std::array<short, 95> HelveticaWidths
    = {278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '…'/'
       556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // '0'…'?'
       1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // '@'…'O'
       667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 'P'…'_'
       333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // '`'…'o'
       556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};     // 'p'…'~'
// Helvetica-Bold, same range.
constexpr std::array<short, 95> HelveticaBoldWidths = {
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584};

const char *fontResource(PdfWriter::Font f)
{
    switch (f) {
    case PdfWriter::Font::Helvetica:
        return "/F1";
    case PdfWriter::Font::HelveticaBold:
        return "/F2";
    case PdfWriter::Font::Courier:
        return "/F3";
    }
    return "/F1";
}

QByteArray escaped(const QByteArray &bytes)
{
    QByteArray out;
    out.reserve(bytes.size() + 8);
    for (char c : bytes) {
        if (c == '(' || c == ')' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

} // namespace

PdfWriter::PdfWriter(double width, double height)
    : m_width(width)
    , m_height(height)
{}

void PdfWriter::newPage()
{
    m_pages.append(QByteArray());
    m_current = int(m_pages.size()) - 1;
}

QByteArray &PdfWriter::page()
{
    if (m_pages.isEmpty())
        newPage();
    return m_pages[m_current];
}

QByteArray PdfWriter::number(double v)
{
    QByteArray s = QByteArray::number(v, 'f', 2);
    while (s.endsWith('0'))
        s.chop(1);
    if (s.endsWith('.'))
        s.chop(1);
    return s == "-0" ? QByteArray("0") : s;
}

QByteArray PdfWriter::colorOp(Color c, bool stroke)
{
    return number(c.r) + ' ' + number(c.g) + ' ' + number(c.b) + (stroke ? " RG\n" : " rg\n");
}

QByteArray PdfWriter::winAnsi(const QString &text)
{
    QByteArray out;
    out.reserve(text.size());
    for (QChar ch : text) {
        const char16_t c = ch.unicode();
        if ((c >= 32 && c < 127) || (c >= 160 && c <= 255)) {
            out += char(c);
            continue;
        }
        switch (c) {
        case u'\t':
            out += ' ';
            break;
        case u'\u20ac':
            out += '\x80';
            break; // €
        case u'\u2026':
            out += '\x85';
            break; // …
        case u'\u2018':
            out += '\x91';
            break;
        case u'\u2019':
            out += '\x92';
            break;
        case u'\u201c':
            out += '\x93';
            break;
        case u'\u201d':
            out += '\x94';
            break;
        case u'\u2022':
            out += '\x95';
            break; // •
        case u'\u2013':
            out += '\x96';
            break; // –
        case u'\u2014':
            out += '\x97';
            break; // —
        case u'\u2192':
            out += "->";
            break; // → is not in WinAnsi
        default:
            out += '?';
            break;
        }
    }
    return out;
}

double PdfWriter::textWidth(const QString &text, Font font, double size)
{
    if (font == Font::Courier)
        return double(winAnsi(text).size()) * 600.0 * size / 1000.0;
    const auto &table = font == Font::HelveticaBold ? HelveticaBoldWidths : HelveticaWidths;
    double units = 0;
    for (char b : winAnsi(text)) {
        const unsigned char u = static_cast<unsigned char>(b);
        units += (u >= 32 && u < 127) ? table[u - 32] : 556;
    }
    return units * size / 1000.0;
}

QList<QString> PdfWriter::wrap(const QString &text, Font font, double size, double width)
{
    QList<QString> lines;
    const QStringList paragraphs = text.split(u'\n');
    for (const QString &para : paragraphs) {
        QString current;
        const QStringList words = para.split(u' ');
        for (const QString &word : words) {
            const QString candidate = current.isEmpty() ? word : current + u' ' + word;
            if (textWidth(candidate, font, size) <= width) {
                current = candidate;
                continue;
            }
            if (!current.isEmpty())
                lines.append(current);
            // A word wider than the line is cut where it has to be.
            current = word;
            while (textWidth(current, font, size) > width && current.size() > 1) {
                qsizetype fit = 1;
                while (fit < current.size()
                       && textWidth(current.left(fit + 1), font, size) <= width)
                    ++fit;
                lines.append(current.left(fit));
                current = current.mid(fit);
            }
        }
        lines.append(current);
    }
    return lines;
}

void PdfWriter::text(double x, double y, const QString &text, Font font, double size, Color color)
{
    QByteArray &p = page();
    p += colorOp(color, false);
    p += "BT " + QByteArray(fontResource(font)) + ' ' + number(size) + " Tf " + number(x) + ' '
         + number(m_height - y) + " Td (" + escaped(winAnsi(text)) + ") Tj ET\n";
}

void PdfWriter::line(double x1, double y1, double x2, double y2, double lineWidth, Color color)
{
    QByteArray &p = page();
    p += colorOp(color, true);
    p += number(lineWidth) + " w " + number(x1) + ' ' + number(m_height - y1) + " m " + number(x2)
         + ' ' + number(m_height - y2) + " l S\n";
}

void PdfWriter::fillRect(double x, double y, double w, double h, Color color)
{
    QByteArray &p = page();
    p += colorOp(color, false);
    p += number(x) + ' ' + number(m_height - y - h) + ' ' + number(w) + ' ' + number(h) + " re f\n";
}

void PdfWriter::strokeRect(double x, double y, double w, double h, double lineWidth, Color color)
{
    QByteArray &p = page();
    p += colorOp(color, true);
    p += number(lineWidth) + " w " + number(x) + ' ' + number(m_height - y - h) + ' ' + number(w)
         + ' ' + number(h) + " re S\n";
}

QByteArray PdfWriter::finish(const QString &title, const QString &creator) const
{
    QList<QByteArray> pages = m_pages;
    if (pages.isEmpty())
        pages.append(QByteArray());
    // Objects: 1 catalog, 2 page tree, 3–5 fonts, 6 info, then a page and its content each.
    const int pageCount = int(pages.size());
    const int objectCount = 6 + 2 * pageCount;
    QList<QByteArray> objects(objectCount + 1);
    objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
    QByteArray kids;
    for (int i = 0; i < pageCount; ++i)
        kids += QByteArray::number(7 + 2 * i) + " 0 R ";
    objects[2]
        = "<< /Type /Pages /Kids [ " + kids + "] /Count " + QByteArray::number(pageCount) + " >>";
    const auto font = [](const char *base) -> QByteArray {
        return QByteArray("<< /Type /Font /Subtype /Type1 /BaseFont /") + base
               + " /Encoding /WinAnsiEncoding >>";
    };
    objects[3] = font("Helvetica");
    objects[4] = font("Helvetica-Bold");
    objects[5] = font("Courier");
    const QByteArray date
        = "D:" + QDateTime::currentDateTimeUtc().toString(u"yyyyMMddHHmmss").toLatin1() + "Z";
    objects[6] = "<< /Title (" + escaped(winAnsi(title)) + ") /Creator ("
                 + escaped(winAnsi(creator)) + ") /Producer (HealthDeck PdfWriter) /CreationDate ("
                 + date + ") >>";
    for (int i = 0; i < pageCount; ++i) {
        objects[7 + 2 * i] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + number(m_width) + ' '
                             + number(m_height)
                             + "] /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> "
                               "/Contents "
                             + QByteArray::number(8 + 2 * i) + " 0 R >>";
        const QByteArray &content = pages[i];
        objects[8 + 2 * i] = "<< /Length " + QByteArray::number(content.size()) + " >>\nstream\n"
                             + content + "endstream";
    }

    QByteArray out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    QList<qsizetype> offsets(objectCount + 1, 0);
    for (int n = 1; n <= objectCount; ++n) {
        offsets[n] = out.size();
        out += QByteArray::number(n) + " 0 obj\n" + objects[n] + "\nendobj\n";
    }
    const qsizetype xref = out.size();
    out += "xref\n0 " + QByteArray::number(objectCount + 1) + "\n0000000000 65535 f \n";
    for (int n = 1; n <= objectCount; ++n)
        out += QByteArray::number(offsets[n]).rightJustified(10, '0') + " 00000 n \n";
    out += "trailer\n<< /Size " + QByteArray::number(objectCount + 1)
           + " /Root 1 0 R /Info 6 0 R >>\nstartxref\n" + QByteArray::number(xref) + "\n%%EOF\n";
    return out;
}

} // namespace hd
