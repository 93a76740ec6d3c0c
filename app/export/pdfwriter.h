#pragma once

// A small PDF 1.4 writer for the support bundle's report. healthdeck_engine may not link
// QtGui, so QPdfWriter is out of reach for `hdeck export`; the report needs only text in the
// standard Type 1 fonts (Helvetica, Helvetica-Bold, Courier; WinAnsi encoding), lines and
// filled rectangles. Coordinates are points from the page's top-left corner. Content streams
// stay uncompressed so the bundle's leak test can read every byte.

#include <QByteArray>
#include <QList>
#include <QString>

namespace hd {

class PdfWriter
{
public:
    enum class Font { Helvetica, HelveticaBold, Courier };
    struct Color
    {
        double r, g, b; // 0…1
    };

    static constexpr double A4Width = 595.28;
    static constexpr double A4Height = 841.89;

    PdfWriter(double width = A4Width, double height = A4Height);

    double width() const { return m_width; }
    double height() const { return m_height; }
    int pageCount() const { return int(m_pages.size()); }

    void newPage();
    // Draws on an earlier page again (page numbers once the count is known).
    void selectPage(int index) { m_current = index; }
    // y is the text's baseline.
    void text(double x, double y, const QString &text, Font font, double size, Color color = {});
    void line(double x1, double y1, double x2, double y2, double lineWidth = 0.5, Color color = {});
    void fillRect(double x, double y, double w, double h, Color color);
    void strokeRect(double x, double y, double w, double h, double lineWidth = 0.5,
                    Color color = {});

    static double textWidth(const QString &text, Font font, double size);
    // Splits text into lines no wider than width (breaking at spaces, or anywhere in a long word).
    static QList<QString> wrap(const QString &text, Font font, double size, double width);
    // QString → WinAnsi bytes; characters it cannot encode become '?'.
    static QByteArray winAnsi(const QString &text);

    // The finished file. Title and author go into the document information dictionary.
    QByteArray finish(const QString &title, const QString &creator) const;

private:
    QByteArray &page();
    static QByteArray number(double v);
    static QByteArray colorOp(Color c, bool stroke);

    double m_width;
    double m_height;
    QList<QByteArray> m_pages;
    int m_current = -1;
};

} // namespace hd
