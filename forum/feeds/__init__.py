"""Atom feeds of public content: the site, each public group, each tag and each thread (docs/feeds.md)."""
