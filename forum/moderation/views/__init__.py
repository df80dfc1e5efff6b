"""The moderation and community pages, as plain functions; ``forum.moderation.routes`` gives them their URLs."""
