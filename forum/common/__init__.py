"""Pieces every domain uses: the text pipeline, security headers, errors, time, pagination."""
