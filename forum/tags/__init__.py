"""Tags: short shared labels on threads and spending proposals, normalised so "Civil  Service" and "civil service"
are one tag.

The tag pages list threads and proposals, so their views live above both (``forum.tag_pages``).
"""
