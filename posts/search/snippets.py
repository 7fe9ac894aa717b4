"""Find what a search matched in a text, and cut snippets around it. Pure Python.

The database finds the posts; the highlighting is done here, on the original
text, with the same normalisation as the tokenizer (NFKC, lower case) and the
indexes mapped back to the characters as written.

    >>> [(text, hit) for text, hit in highlight("ＦＢＩ長官パテル", ["fbi"])]
    [('ＦＢＩ', True), ('長官パテル', False)]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from posts.search.tokens import CJK, any_form, char_class, fold_pieces, normalize, runs

RADIUS = 50
Segments = list[tuple[str, bool]]


def find(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of `text` that match any of `terms`, as search matches them."""
    patterns = [found for found in map(_pattern, terms) if found[0] is not None]
    # Fast: a look in the text folded but for its Han variants, with the terms written in any form; only a text
    # that matches is folded whole and mapped back character by character.
    folded = fold_pieces(text, variants=False)
    if not any(written.search(folded) for _, _, written in patterns):
        return []
    normalized, origin = normalize(text)
    spans = []
    for pattern, term_runs, _ in patterns:
        for match in pattern.finditer(normalized):
            if _aligned(normalized, match, term_runs):
                spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    return _merge(spans)


def highlight(text: str, terms: Iterable[str]) -> Segments:
    """`text` as (piece, matched) segments, for a template to mark up."""
    return _segments(text, find(text, terms), 0, len(text))


def snippets(text: str, terms: Iterable[str], limit: int = 2, radius: int = RADIUS) -> list[Segments]:
    """Up to `limit` windows of ±`radius` characters around the matches in `text`."""
    windows: list[tuple[int, int]] = []
    spans = find(text, terms)
    for start, end in spans:
        if windows and start < windows[-1][1]:
            continue
        windows.append((max(0, start - radius), min(len(text), end + radius)))
        if len(windows) == limit:
            break
    return [_segments(text, spans, start, end) for start, end in windows]


@functools.lru_cache(maxsize=256)
def _pattern(term: str) -> tuple[re.Pattern | None, list, re.Pattern | None]:
    """The term in folded text, its runs, and the term in text folded but for the Han variants."""
    normalized, _ = normalize(term)
    term_runs = list(runs(normalized))
    if not term_runs:
        return None, [], None
    # Between runs, whatever separates them in the document (the tokenizer ignores it).
    between = r"[\W_]*?"
    return (
        re.compile(between.join(re.escape(run.text) for run in term_runs)),
        term_runs,
        re.compile(between.join(any_form(run.text) for run in term_runs)),
    )


def _aligned(normalized: str, match: re.Match, term_runs: list) -> bool:
    """Whether a regex match is also a token match: words whole, runs ending where the query's end."""
    first = term_runs[0]
    before = normalized[match.start() - 1] if match.start() else ""
    if first.kind != CJK and before and char_class(before) == first.kind:
        return False  # a Latin or digit word must start here
    # Each run the query continues after must end in the document too.
    position = match.start()
    for run in term_runs[:-1]:
        position = normalized.find(run.text, position) + len(run.text)
        after = normalized[position] if position < len(normalized) else ""
        if after and char_class(after) == run.kind:
            return False
    return True


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _segments(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Segments:
    segments: Segments = []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > cursor:
            segments.append((text[cursor:span_start], False))
        segments.append((text[span_start:span_end], True))
        cursor = span_end
    if cursor < end:
        segments.append((text[cursor:end], False))
    return segments
