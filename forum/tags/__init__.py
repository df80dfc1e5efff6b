"""Tags: short shared labels on threads, normalised so "Civil  Service" and "civil service" are one tag.

The tag pages list threads, so their views live with the threads (``forum.threads.tag_views``).
"""
