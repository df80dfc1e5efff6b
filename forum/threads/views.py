"""Thread views (placeholders until the threads work lands)."""
