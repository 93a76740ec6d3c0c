#include "theme.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace hd {

namespace {
Theme::Mode g_mode = Theme::Mode::System;
bool g_captured = false;
QPalette g_systemPalette;

void captureSystemPalette()
{
    if (g_captured)
        return;
    g_captured = true;
    g_systemPalette = QApplication::palette();
}

bool paletteIsDark(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}
} // namespace

void Theme::applySaved()
{
    apply(modeFromName(QSettings().value(QStringLiteral("ui/theme")).toString()));
}

void Theme::applyAndSave(Mode mode)
{
    apply(mode);
    QSettings().setValue(QStringLiteral("ui/theme"), modeName(mode));
}

void Theme::apply(Mode mode)
{
    captureSystemPalette();
    g_mode = mode;
    const bool dark = mode == Mode::Dark || (mode == Mode::System && systemIsDark());
    if (QApplication::style()->name().compare(QStringLiteral("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
}

Theme::Mode Theme::mode()
{
    return g_mode;
}

bool Theme::isDark()
{
    return paletteIsDark(QApplication::palette());
}

bool Theme::systemIsDark()
{
    captureSystemPalette();
    return paletteIsDark(g_systemPalette);
}

QPalette Theme::lightPalette()
{
    QPalette p(QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::WindowText, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf5, 0xf5, 0xf5));
    p.setColor(QPalette::Text, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::Button, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::ButtonText, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xdc));
    p.setColor(QPalette::ToolTipText, Qt::black);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Link, QColor(0x1565c0));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9e, 0x9e, 0x9e));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9e, 0x9e, 0x9e));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9e, 0x9e, 0x9e));
    return p;
}

QPalette Theme::darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x43, 0x47));
    p.setColor(QPalette::Mid, QColor(0x33, 0x35, 0x38));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8c, 0x90));
    p.setColor(QPalette::Link, QColor(0x64, 0xb5, 0xf6));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x9d, 0xdb));
    for (auto role : {QPalette::Text, QPalette::WindowText, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x6e, 0x70, 0x74));
    return p;
}

QString Theme::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Light:
        return QStringLiteral("light");
    case Mode::Dark:
        return QStringLiteral("dark");
    case Mode::System:
        break;
    }
    return QStringLiteral("system");
}

Theme::Mode Theme::modeFromName(const QString &name)
{
    if (name == u"light")
        return Mode::Light;
    if (name == u"dark")
        return Mode::Dark;
    return Mode::System;
}

QColor Theme::errorText()
{
    return isDark() ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28);
}

QColor Theme::warningBackground()
{
    return isDark() ? QColor(0x4a, 0x3b, 0x10) : QColor(0xff, 0xf3, 0xc4);
}

QColor Theme::warningText()
{
    return isDark() ? QColor(0xff, 0xe0, 0x82) : QColor(0x5d, 0x40, 0x00);
}

QColor Theme::criticalBackground()
{
    return isDark() ? QColor(0x5c, 0x1a, 0x1a) : QColor(0xfd, 0xe0, 0xe0);
}

QColor Theme::criticalText()
{
    return isDark() ? QColor(0xff, 0xcd, 0xd2) : QColor(0x8e, 0x0e, 0x0e);
}

} // namespace hd
