"""Ingest: a post file's bytes become text (decoding), a parsed post (parser, syntax, dates, outlets),
then rows (importing, the one write path, with its sources, tagging and the search index); uploads
and batches are how the admin feeds it."""
