"""The archive's tables: what a post is (archive.py), what importing did (records.py), and the SQL the schema
and the search share (lookups.py)."""

from posts.models.archive import (
    Language,
    Latency,
    Link,
    PartText,
    Passage,
    Post,
    Quote,
    Revision,
    Source,
    Topic,
    unicode_slug,
)
from posts.models.records import ImportBatch, ImportFile

__all__ = [
    "ImportBatch", "ImportFile", "Language", "Latency", "Link", "Passage", "PartText", "Post", "Quote", "Revision", "Source", "Topic",
    "unicode_slug",
]
