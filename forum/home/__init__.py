"""The home page: groups with "Make a bigger difference" first, and the latest activity the visitor may see
(URL in ``routes``)."""
