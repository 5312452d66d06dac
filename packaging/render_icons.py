"""Render the app icon (SVG) to the PNG sizes of the freedesktop hicolor theme.

    python packaging/render_icons.py            writes packaging/icons/hicolor/NxN/apps/APP_ID.png
    python packaging/render_icons.py --sizes 512,1024 --out build/icons   e.g. for a macOS .icns

Run it again after editing resources/icons/org.annotator.Annotator.svg. It uses
PySide6's QtSvg offscreen, so it needs no screen and no other tool.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP_ID = "org.annotator.Annotator"
SIZES = (16, 32, 48, 64, 128, 256)
ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / f"{APP_ID}.svg"
OUT = ROOT / "packaging" / "icons" / "hicolor"


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn onto a transparent size x size image, antialiased."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg}: not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=SVG, help="the icon to render")
    parser.add_argument("--out", type=Path, default=OUT, help="the hicolor folder to write into")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(size) for size in text.split(",")],
        default=list(SIZES),
        help="comma-separated pixel sizes (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (Qt needs it)
    for size in args.sizes:
        target = args.out / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(args.svg, size).save(str(target)):  # PNG, from the suffix
            raise SystemExit(f"render_icons: could not write {target}")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
