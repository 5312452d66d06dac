"""The document list: filters, a lazy table over the matching documents, progress."""
