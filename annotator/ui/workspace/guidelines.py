"""The annotation guidelines (Markdown shipped in resources/) in a side panel."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QTextBrowser, QWidget


def guidelines_text() -> str:
    from annotator.core.resources import resource

    return resource("guidelines.md").read_text("utf-8")


class GuidelinesDock(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Guidelines", parent)
        self.setObjectName("guidelines")
        browser = QTextBrowser()
        browser.setOpenLinks(False)  # our own Markdown; nothing is fetched from anywhere
        browser.setMarkdown(guidelines_text())
        self.setWidget(browser)
        self.browser = browser
