#pragma once

#include <QColor>

class QPalette;

namespace fs::ui {

// Colours the palette has no role for, derived from it so they read well in light and dark
// themes alike. GUI thread only (they read widget palettes).
namespace ThemeColors {

    // True when the palette's base (text field background) is dark.
    bool isDark(const QPalette &palette);
    // A red for errors (squiggles, messages): darker on light bases, lighter on dark ones, and
    // always at least 4.5:1 against the base colour.
    QColor error(const QPalette &palette);
    // A green for success messages, same contrast rule.
    QColor success(const QPalette &palette);

} // namespace ThemeColors

} // namespace fs::ui
