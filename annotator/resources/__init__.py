"""Data files shipped with the app: schema, demo corpus, guidelines, icons."""
