"""Cut a post's texts into passages for the search index. Pure Python.

Each part of a post (title, each quote, each remark, the commentary, the
article) is indexed in passages of a few thousand characters, cut at a sentence
end or a line break, overlapping a little so that a phrase that straddles a cut
is still found. The size is a balance: a phrase is checked by reading each
candidate passage (smaller is cheaper, and holds its bigrams apart less often),
while each passage is a row of the GIN index (bigger repeats fewer bigrams).
A passage's lexemes must also fit a tsvector (1 MB).
"""

from __future__ import annotations

from collections.abc import Iterator

from posts.search.tokens import LATIN, char_class, fold

PASSAGE_CHARS = 2000
OVERLAP = 120  # phrases up to this long are found across a cut
BREAKS = "。\n！？!?"
MAX_WORD = 64


def passages(text: str, size: int = PASSAGE_CHARS, overlap: int = OVERLAP) -> Iterator[tuple[int, str]]:
    """(start offset, text) of each passage of `text`.

    Cuts fall at a sentence end or line break when there is one, and never
    inside a word: a passage that started in the middle of `Ratcliffe` would
    make `tcliffe` a word of the post.

    >>> [start for start, _ in passages("あ。" * 1500, size=1000, overlap=100)]
    [0, 900, 1800, 2700]
    """
    start, length = 0, len(text)
    while start < length:
        end = min(start + size, length)
        if end < length:
            cut = max(text.rfind(ch, start + size // 2, end) for ch in BREAKS)
            end = cut + 1 if cut > 0 else _word_start(text, end, start + 1)
        yield start, text[start:end]
        if end >= length:
            break
        start = _word_start(text, max(end - overlap, start + 1), start + 1)


def _word_start(text: str, at: int, lowest: int) -> int:
    """`at`, moved back to the start of the word it is inside; a word longer than MAX_WORD is cut."""
    moved = at
    while moved > lowest and _in_word(text[moved - 1]) and _in_word(text[moved]):
        moved -= 1
        if at - moved > MAX_WORD:
            return at
    return moved


def _in_word(ch: str) -> bool:
    return char_class(fold(ch)[:1] or " ") == LATIN
