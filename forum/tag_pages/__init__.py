"""The tag pages: one set of tags for threads and spending proposals (issue 12). ``/tags/`` lists every tag on
something the viewer may see, with counts; a tag's page lists the threads and the proposals carrying it that the
viewer may see.

It sits in the top import layer because it reads both threads and budgeting; the tags themselves (the rows, the
normalising, the rule every tags field checks) stay in ``forum.tags``, below both.
"""
