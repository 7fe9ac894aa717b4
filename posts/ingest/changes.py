"""What an import would change in a stored post, as diffs a person can read: pure Python.

`post_changes(before, after)` compares two `PostParts` (the post as stored, the post as the import would
store it) part by part, and their quotes one by one: which quotes come, go or change, and in which
fields. A changed text is shown as its changed lines with a little context, the changed characters of
a line marked, long unchanged stretches cut. The result is plain lists and dicts, to be stored as JSON:

    >>> post_changes(PostParts(title="古い題"), PostParts(title="新しい題"))["parts"][0]["hunks"][0]["lines"]
    [{'op': 'old', 'parts': [['changed', '古'], ['', 'い題']]}, {'op': 'new', 'parts': [['changed', '新し'], ['', 'い題']]}]

Each line is `{"op": "same" | "old" | "new", "parts": [[kind, text], ...]}`, kind "" (as it is),
"changed" (what changed in a line that has a counterpart) or "cut" (a note standing for text left out).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT_LINES = 2  # unchanged lines shown around a change (a paragraph and the blank line after it)
FIELD_LINES = 40  # lines shown of one field's diff; the rest are counted
POST_LINES = 400  # lines shown of one post's diffs in all
KEEP = 40  # characters kept each side of a cut in unchanged text
LONG_CHANGE = 300  # characters of a change shown; past that it is cut in the middle
COMPARED = 4000  # characters of two differing stretches compared character by character; longer ones are shown whole
MAX_LOOKUPS = 50_000  # the most work a comparison may take (see _affordable); past it, what differs is shown whole
SHORT_MATCH = 2  # equal runs this short between two changes read as part of the change


@dataclass(frozen=True)
class QuoteParts:
    date: str = ""
    outlet: str = ""
    original_title: str = ""
    translated_title: str = ""
    body: str = ""
    remark: str = ""
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostParts:
    title: str = ""
    published_on: str = ""
    article_date: str = ""
    article_outlet: str = ""
    article_author: str = ""
    commentary: str = ""
    article_body: str = ""
    quotes: tuple[QuoteParts, ...] = ()


POST_LABELS = {
    "title": "題名",
    "published_on": "公開日",
    "article_date": "論評対象の記事の日付",
    "article_outlet": "論評対象の記事の掲載元",
    "article_author": "論評対象の記事の筆者",
    "commentary": "論評",
    "article_body": "記事",
}
QUOTE_LABELS = {
    "original_title": "原題",
    "translated_title": "訳題",
    "date": "日付",
    "outlet": "情報源",
    "body": "本文",
    "remark": "一言",
    "links": "リンク",
}


class _Budget:
    """How many more lines the diffs of one post may show."""

    def __init__(self, lines: int) -> None:
        self.lines = lines


def post_changes(before: PostParts, after: PostParts) -> dict:
    """{"parts": changed parts of the post, "quotes": quotes added, removed or changed}; both empty if none."""
    budget = _Budget(POST_LINES)
    parts = [
        _field(name, label, getattr(before, name), getattr(after, name), budget)
        for name, label in POST_LABELS.items()
        if getattr(before, name) != getattr(after, name)
    ]
    return {"parts": parts, "quotes": _quotes(before.quotes, after.quotes, budget)}


def text_diff(before: str, after: str, limit: int = FIELD_LINES) -> tuple[list[dict], int]:
    """(hunks, changed lines left out) of a diff of two texts, line by line, showing at most `limit` lines.

    A hunk is {"start": the number of its first line in `after`, "lines": [...]}.
    """
    a, b = before.split("\n") if before else [], after.split("\n") if after else []
    hunks: list[dict] = []
    room, left_out = limit, 0
    for group in _grouped(_opcodes(a, b)):
        lines = []
        for tag, i1, i2, j1, j2 in group:
            # Only the lines there is room for are made: a long change costs no more to show than a short one.
            shown = _lines(tag, a[i1:i2][:room], b[j1:j2][:room])[:room] if room else []
            lines += shown
            room -= len(shown)
            left_out += 0 if tag == "equal" else (i2 - i1) + (j2 - j1) - len(shown)
        if any(line["op"] != "same" for line in lines):
            hunks.append({"start": group[0][3] + 1, "lines": lines})
    return hunks, left_out


def _opcodes(a: Sequence, b: Sequence) -> list[tuple]:
    """How to turn `a` into `b` (SequenceMatcher's opcodes): their common ends equal, what lies between compared
    where that is affordable, else replaced whole."""
    prefix, suffix = _common_ends(a, b)
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    if not middle_a or not middle_b or not _affordable(middle_a, middle_b):
        tag = "insert" if not middle_a else "delete" if not middle_b else "replace"
        middle = [(tag, 0, len(middle_a), 0, len(middle_b))] if middle_a or middle_b else []
    else:
        middle = SequenceMatcher(None, middle_a, middle_b).get_opcodes()
    return (
        ([("equal", 0, prefix, 0, prefix)] if prefix else [])
        + [(tag, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix) for tag, i1, i2, j1, j2 in middle]
        + ([("equal", len(a) - suffix, len(a), len(b) - suffix, len(b))] if suffix else [])
    )


def _affordable(a: Sequence, b: Sequence) -> bool:
    """Whether SequenceMatcher compares a and b in little time: it looks up every item of `a` among the equal
    items of `b` (but the most common, which it leaves out), so many repeated items cost much."""
    counts = Counter(b)
    common = len(b) // 100 + 1 if len(b) >= 200 else len(b)
    return sum(counts[item] for item in a if counts[item] <= common) <= MAX_LOOKUPS


def _grouped(opcodes: list[tuple]) -> list[list[tuple]]:
    """The changes with CONTEXT_LINES of what is equal around them, nearby ones together (as difflib's
    SequenceMatcher.get_grouped_opcodes)."""
    groups, group = [], []
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            if n == 0:
                i1, j1 = max(i1, i2 - CONTEXT_LINES), max(j1, j2 - CONTEXT_LINES)
            if n == len(opcodes) - 1:
                i2, j2 = min(i2, i1 + CONTEXT_LINES), min(j2, j1 + CONTEXT_LINES)
            if i2 - i1 > 2 * CONTEXT_LINES:  # a long stretch unchanged ends a group
                if group:
                    groups.append([*group, (tag, i1, i1 + CONTEXT_LINES, j1, j1 + CONTEXT_LINES)])
                group = []
                i1, j1 = i2 - CONTEXT_LINES, j2 - CONTEXT_LINES
        group.append((tag, i1, i2, j1, j2))
    if any(tag != "equal" for tag, *_ in group):
        groups.append(group)
    return groups


def _field(name: str, label: str, before, after, budget: _Budget) -> dict:
    if isinstance(before, tuple):  # links: one a line
        before, after = "\n".join(before), "\n".join(after)
    hunks, left_out = text_diff(before, after, min(FIELD_LINES, budget.lines))
    budget.lines -= sum(len(hunk["lines"]) for hunk in hunks)
    return {"field": name, "what": label, "hunks": hunks, "left_out": left_out}


def _quotes(before: tuple[QuoteParts, ...], after: tuple[QuoteParts, ...], budget: _Budget) -> list[dict]:
    """The quotes that come, go or change, in the order of `after` (a removed one where it was).

    Quotes are matched by their original titles in order; where those differ, one for one in order.
    """
    found = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, [q.original_title for q in before], [q.original_title for q in after]).get_opcodes():
        paired = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
        for i, j in zip(range(i1, i1 + paired), range(j1, j1 + paired)):
            if before[i] != after[j]:
                changed = [
                    _field(name, label, getattr(before[i], name), getattr(after[j], name), budget)
                    for name, label in QUOTE_LABELS.items()
                    if getattr(before[i], name) != getattr(after[j], name)
                ]
                found.append({"status": "changed", "position": j + 1, "was": i + 1, "name": _name(after[j]), "fields": changed})
        found += [{"status": "removed", "was": i + 1, "name": _name(before[i])} for i in range(i1 + paired, i2)]
        found += [
            {"status": "added", "position": j + 1, "name": _name(after[j]), "outlet": after[j].outlet, "date": after[j].date}
            for j in range(j1 + paired, j2)
        ]
    return found


def _name(quote: QuoteParts) -> str:
    name = quote.translated_title or quote.original_title
    return name if len(name) <= 2 * KEEP else name[: 2 * KEEP] + "…"


def _lines(tag: str, old: list[str], new: list[str]) -> list[dict]:
    if tag == "equal":
        return [{"op": "same", "parts": _cut(_parts([["", line]]), 2 * KEEP)} for line in old]
    found, olds, news = [], [], []
    for k in range(max(len(old), len(new))):
        if k < len(old) and k < len(new) and old[k] and new[k] and _alike(old[k], new[k]):
            # A line edited: shown as its two versions, after the lines before it that have no counterpart.
            old_parts, new_parts = _intraline(old[k], new[k])
            found += olds + news + [{"op": "old", "parts": _cut(old_parts)}, {"op": "new", "parts": _cut(new_parts)}]
            olds, news = [], []
        else:
            olds += [{"op": "old", "parts": _whole(old[k])}] if k < len(old) else []
            news += [{"op": "new", "parts": _whole(new[k])}] if k < len(new) else []
    return found + olds + news


def _alike(old: str, new: str) -> bool:
    """Whether two lines read as one line edited, rather than one replaced by another."""
    prefix, suffix = _common_ends(old, new)
    if (prefix + suffix) * 2 >= min(len(old), len(new)):
        return True
    return len(old) + len(new) <= COMPARED and SequenceMatcher(None, old, new).quick_ratio() >= 0.6


def _common_ends(old: Sequence, new: Sequence) -> tuple[int, int]:
    """How many items the two have in common at their start, and then at their end."""
    shortest = min(len(old), len(new))
    prefix = 0
    while prefix < shortest and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def _intraline(old: str, new: str) -> tuple[list[list[str]], list[list[str]]]:
    """The parts of two versions of a line, what differs marked "changed" on each side (empty where the other
    side has text the line did not), long unchanged stretches cut."""
    prefix, suffix = _common_ends(old, new)
    a, b = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    if len(a) + len(b) <= COMPARED and _affordable(a, b):
        ops = _merged(SequenceMatcher(None, a, b).get_opcodes())
    else:  # too long to compare character by character in a preview: the differing stretch whole
        ops = [("replace", 0, len(a), 0, len(b))]
    old_parts, new_parts = [["", old[:prefix]]], [["", new[:prefix]]]
    for tag, i1, i2, j1, j2 in ops:
        kind = "" if tag == "equal" else "changed"
        old_parts.append([kind, a[i1:i2]])
        new_parts.append([kind, b[j1:j2]])
    old_parts.append(["", old[len(old) - suffix :]])
    new_parts.append(["", new[len(new) - suffix :]])
    return _parts(old_parts), _parts(new_parts)


def _merged(ops: list[tuple]) -> list[tuple]:
    """Opcodes with a very short equal run between two changes taken into the change (a stray の or 、)."""
    merged: list[list] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        stray = tag == "equal" and i2 - i1 <= SHORT_MATCH and 0 < n < len(ops) - 1
        tag = "equal" if tag == "equal" and not stray else "replace"
        if merged and tag == "replace" and merged[-1][0] == "replace":
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    return [tuple(op) for op in merged]


def _parts(parts: list[list[str]]) -> list[list[str]]:
    """Neighbours of a kind joined, empty unchanged text dropped (an empty change stays: it marks where)."""
    out: list[list[str]] = []
    for kind, text in parts:
        if out and out[-1][0] == kind:
            out[-1][1] += text
        elif text or kind:
            out.append([kind, text])
    return out


def _whole(line: str) -> list[list[str]]:
    return _cut([["", line]], LONG_CHANGE) if line else [["cut", "(空行)"]]


def _cut(parts: list[list[str]], long: int | None = None) -> list[list[str]]:
    """Long stretches cut in the middle: unchanged text to KEEP characters on the side of a change, a change to
    LONG_CHANGE characters; a line without a change (`long` given) to `long` characters. Empty parts dropped."""
    out = []
    for n, (kind, text) in enumerate(parts):
        if long is not None or kind == "changed":
            keep_head = keep_tail = (long or LONG_CHANGE) // 2
        else:  # unchanged text beside a change: only the end that touches it matters
            keep_head = KEEP if n > 0 else 0
            keep_tail = KEEP if n < len(parts) - 1 else 0
        if len(text) <= keep_head + keep_tail + KEEP:
            out += [[kind, text]] if text else []
            continue
        out += [[kind, text[:keep_head]]] if keep_head else []
        out.append(["cut", f"…({len(text) - keep_head - keep_tail:,}文字省略)…"])
        out += [[kind, text[len(text) - keep_tail :]]] if keep_tail else []
    return out
