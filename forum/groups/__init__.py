"""Groups: themed spaces that hold threads, public or private, with members and group moderators (URLs in
``routes``)."""
