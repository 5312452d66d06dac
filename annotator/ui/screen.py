"""Sizing windows to the screen they open on."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """`width`×`height` where there is room; on a small laptop screen (1280×720, 1024×768)
    what there is, so the status line and the side panels are never off the screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    if room is not None and room.width() > 0 and room.height() > 0:
        # The frame (title bar, borders) comes on top of the size given here.
        width, height = min(width, room.width() - 16), min(height, room.height() - 48)
    window.resize(width, height)
