"""The demo project: articles written for Annotator and their actor registry."""
