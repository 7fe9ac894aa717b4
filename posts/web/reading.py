"""A post as its page shows it: a contents box, quote bodies folded after their lead, the matches of `?q=` marked.

A quote body of more than FOLD_OVER characters shows its first lines (about LEAD_CHARS, cut where a line or a
sentence ends) and folds the rest in a <details>, open when the search matched inside it: the blogger's
commentary is then a screen or two down, not five quote bodies down.

    >>> lead, rest = fold([("一。" * 300, False)], lead_chars=10)
    >>> (len("".join(t for t, _ in lead)), len("".join(t for t, _ in rest)))
    (12, 588)
"""

from __future__ import annotations

from dataclasses import dataclass

from posts.search import snippets

Segments = list[tuple[str, bool]]

LEAD_CHARS = 160  # about four lines of a 40-character measure
FOLD_OVER = 400  # a body up to this long is shown whole
BREAKS = ("\n", "。", "．", ". ", "！", "？")


@dataclass(frozen=True)
class Folded:
    lead: Segments
    rest: Segments  # empty: nothing folded
    rest_chars: int
    rest_matched: bool  # the search matched in what is folded: the <details> is open

    @property
    def folded(self) -> bool:
        return bool(self.rest)


def marked(text: str, terms: list[str]) -> Segments:
    return snippets.highlight(text, terms) if terms else [(text, False)]


def folded(text: str, terms: list[str], fold_over: int = FOLD_OVER, lead_chars: int = LEAD_CHARS) -> Folded:
    """`text` marked, its lead apart from the rest when it is longer than `fold_over`."""
    segments = marked(text, terms)
    if len(text) <= fold_over:
        return Folded(segments, [], 0, False)
    lead, rest = fold(segments, lead_chars)
    return Folded(lead, rest, sum(len(t) for t, _ in rest), any(hit for _, hit in rest))


def fold(segments: Segments, lead_chars: int) -> tuple[Segments, Segments]:
    """Split marked segments where the first line or sentence ending after `lead_chars` characters ends (at the
    latest at twice that), never inside a match."""
    text = "".join(t for t, _ in segments)
    at = _break_after(text, lead_chars)
    lead: Segments = []
    rest: Segments = []
    position = 0
    for piece, hit in segments:
        end = position + len(piece)
        if end <= at:
            lead.append((piece, hit))
        elif position >= at or hit:
            rest.append((piece, hit))  # a match that straddles the fold goes whole into the rest
        else:
            lead.append((piece[: at - position], False))
            rest.append((piece[at - position :], False))
        position = end
    return lead, rest


def _break_after(text: str, lead_chars: int) -> int:
    ends = [found + len(mark) for mark in BREAKS if (found := text.find(mark, lead_chars)) >= 0]
    return min([*ends, min(len(text), lead_chars * 2)])
