"""Importing articles: reading files (txt, md, html, jsonl, csv), planning an import without
touching the database, and storing the plan in one transaction."""
