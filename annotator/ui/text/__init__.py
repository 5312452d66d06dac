"""Showing a document's text: the read-only pane and the highlighter that paints its spans."""
