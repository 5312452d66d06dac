"""Annotator: label news articles side by side with spans, actors, issues and stances."""

__version__ = "0.1.0"
APP_ID = "org.annotator.Annotator"
