#include "themecolors.h"

#include <QPalette>

#include <cmath>

namespace fs::ui::ThemeColors {

namespace {

    // WCAG relative luminance of an sRGB colour.
    double luminance(const QColor &c)
    {
        auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    }

    double contrast(const QColor &a, const QColor &b)
    {
        const double la = luminance(a);
        const double lb = luminance(b);
        return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
    }

    // The hue at full-ish saturation, walked darker (light theme) or lighter (dark theme) until it
    // stands out from the base colour.
    QColor readableHue(const QPalette &palette, int hue)
    {
        const QColor base = palette.color(QPalette::Base);
        const bool dark = isDark(palette);
        int lightness = dark ? 150 : 110;
        QColor c = QColor::fromHsl(hue, 200, lightness);
        while (contrast(c, base) < 4.5 && lightness > 20 && lightness < 235) {
            lightness += dark ? 8 : -8;
            c = QColor::fromHsl(hue, 200, lightness);
        }
        return c;
    }

} // namespace

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor error(const QPalette &palette)
{
    return readableHue(palette, 0);
}

QColor success(const QPalette &palette)
{
    return readableHue(palette, 120);
}

} // namespace fs::ui::ThemeColors
