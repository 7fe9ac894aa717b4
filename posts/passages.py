"""Cut a post's texts into passages for the search index. Pure Python.

A tsvector holds positions only up to 16,383 and a 50 KB post has more
characters than that, so each part of a post (title, each quote, each remark,
the commentary, the article) is indexed in passages of a few thousand
characters, cut at a sentence end or a line break, overlapping a little so that
a phrase that straddles a cut is still found.
"""

from __future__ import annotations

from collections.abc import Iterator

PASSAGE_CHARS = 2000
OVERLAP = 120  # phrases up to this long are found across a cut
BREAKS = "。\n！？!?"


def passages(text: str, size: int = PASSAGE_CHARS, overlap: int = OVERLAP) -> Iterator[tuple[int, str]]:
    """(start offset, text) of each passage of `text`.

    >>> [start for start, _ in passages("あ。" * 1500, size=1000, overlap=100)]
    [0, 900, 1800, 2700]
    """
    start, length = 0, len(text)
    while start < length:
        end = min(start + size, length)
        if end < length:
            cut = max(text.rfind(ch, start + size // 2, end) for ch in BREAKS)
            if cut > 0:
                end = cut + 1
        yield start, text[start:end]
        if end >= length:
            break
        start = max(end - overlap, start + 1)
