"""Dialogs of the File menu and the first start: import, export, who is annotating, progress."""
