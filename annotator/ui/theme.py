"""View › Theme: the desktop's own look, or Qt's Fusion style in a light or a dark palette.

Whatever the theme, the panes tint their highlights for the palette's background and text
colours (see ui.text.highlighter), so spans stay visible and the text stays readable.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")
_system: tuple[str, QPalette] | None = None  # the style and palette the app started with


def dark_palette() -> QPalette:
    """A dark palette for Fusion: light grey text on near-black, blue for selection."""
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e6e6e6",
        role.Base: "#1f1f1f",
        role.AlternateBase: "#2a2a2a",
        role.ToolTipBase: "#3a3a3a",
        role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#8c8c8c",
        role.Text: "#e6e6e6",
        role.Button: "#333333",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b",
        role.Link: "#6cb4ff",
        role.Highlight: "#3d7bd9",
        role.HighlightedText: "#ffffff",
        role.Light: "#454545",
        role.Midlight: "#3a3a3a",
        role.Mid: "#2f2f2f",
        role.Dark: "#1a1a1a",
        role.Shadow: "#000000",
    }
    for name, value in colours.items():
        palette.setColor(name, QColor(value))
    for name in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(group.Disabled, name, QColor("#7a7a7a"))
    return palette


def apply_theme(name: str) -> None:
    """Use the theme `name` ("system", "light" or "dark") in the whole app."""
    global _system
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    style = app.style()
    if _system is None:
        _system = (style.name() if style is not None else "fusion", QPalette(app.palette()))
    if name == "system":
        app.setStyle(QStyleFactory.create(_system[0]))
        app.setPalette(_system[1])
        return
    app.setStyle(QStyleFactory.create("Fusion"))
    fusion = app.style()
    light = fusion.standardPalette() if fusion is not None else QPalette()
    app.setPalette(dark_palette() if name == "dark" else light)


def is_dark() -> bool:
    """Whether the app's palette puts light text on a dark background."""
    palette = QGuiApplication.palette()
    return palette.base().color().lightness() < palette.text().color().lightness()
