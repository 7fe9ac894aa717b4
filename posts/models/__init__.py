"""The archive's tables: what a post is (archive.py) and what importing did (records.py)."""

from posts.models.archive import Link, Passage, PartText, Post, Quote, Revision, Source, Topic, unicode_slug
from posts.models.records import ImportBatch, ImportFile

__all__ = [
    "ImportBatch", "ImportFile", "Link", "Passage", "PartText", "Post", "Quote", "Revision", "Source", "Topic",
    "unicode_slug",
]
