"""Which topics a post is about, and why, by keyword rules. Pure Python.

A topic applies to a post when one of its keywords is in the post's headlines: its title, the titles
of the items it quotes, the blogger's commentary and his remarks on the items. The body (the quoted
articles and the reprinted article) gives a topic only when the topic's keywords are frequent in it:
at least `DENSITY` mentions per 1,000 characters, and never fewer than `MIN_MENTIONS`. So a long
article that names 台湾 a few times in passing does not make a post about Taiwan; one that keeps
returning to it does, whatever its headlines say.

Keywords match after NFKC, case and Han-variant folding (`ＮＡＴＯ` finds `nato`, `臺灣` finds `台湾`):
Japanese and Chinese keywords anywhere, keywords in other scripts as whole words (`NATO` is not in
`senator`). A keyword written `-中国語` is an exception: text inside it counts for none of the topic's
keywords, so that 中国 is not found in 中国語. A stretch of text counts once, however many keywords it
matches (`台湾` and `台湾海峡`).

`findings` says what was found where: the admin shows it as the reasons for a post's topics, and
`matching_topics` (what the import writes) is only its topics that apply.

    >>> matching_topics(PostText(title="台湾有事"), {1: ["台湾"], 2: ["中東"]})
    [1]
    >>> findings(PostText(commentary="中国語の記事"), {1: ["中国", "-中国語"]})
    {}
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from posts.search.tokens import LATIN, char_class, fold_pieces

DENSITY = 1.0  # mentions per 1,000 characters of the body
MIN_MENTIONS = 5  # and never fewer, however short the body: three mentions in 600 characters are still passing
EXCEPTION = "-"

TITLE, QUOTE_TITLE, COMMENTARY, REMARK, BODY = "title", "quote_title", "commentary", "remark", "body"
PLACES = {TITLE: "題名", QUOTE_TITLE: "引用の題名", COMMENTARY: "論評", REMARK: "引用への一言", BODY: "本文の頻度"}


@dataclass(frozen=True)
class PostText:
    """The texts of a post that the rules read, by where they are."""

    title: str = ""
    quote_titles: tuple[str, ...] = ()  # original and translated
    commentary: str = ""
    remarks: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()  # the quotes' bodies and the reprinted article

    def headlines(self) -> list[tuple[str, str]]:
        return [
            (TITLE, self.title),
            (QUOTE_TITLE, "\n".join(self.quote_titles)),
            (COMMENTARY, self.commentary),
            (REMARK, "\n".join(self.remarks)),
        ]


@dataclass(frozen=True)
class Reason:
    """A topic's keywords in one place of a post: (keyword as written, mentions), the most mentioned first,
    and for the body its length in characters (folded)."""

    place: str
    counts: tuple[tuple[str, int], ...]
    length: int = 0

    @property
    def keyword(self) -> str:
        return self.counts[0][0]

    @property
    def mentions(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def per_thousand(self) -> float:
        return 1000 * self.mentions / self.length if self.length else 0.0

    @property
    def frequent(self) -> bool:
        """Whether these are enough mentions for the body to give the topic."""
        return self.mentions >= MIN_MENTIONS and self.per_thousand >= DENSITY

    def __str__(self) -> str:
        """`題名に「台湾」`, `本文の頻度: 「ロシア」116回、「プーチン」36回 ほか 計170回/18,418字(1,000字あたり9.2回)`."""
        shown = "、".join(f"「{keyword}」{count}回" if count > 1 else f"「{keyword}」" for keyword, count in self.counts[:3])
        shown += " ほか" if len(self.counts) > 3 else ""
        if self.place != BODY:
            return f"{PLACES[self.place]}に{shown}"
        return f"{PLACES[BODY]}: {shown} 計{self.mentions}回/{self.length:,}字(1,000字あたり{self.per_thousand:.1f}回)"


@dataclass(frozen=True)
class Finding:
    """What the rules found of one topic in a post: the places that give it (headlines first), and its
    mentions in the body even when they are too few to give it."""

    reasons: tuple[Reason, ...]
    body: Reason | None

    @property
    def applies(self) -> bool:
        return bool(self.reasons)


def fold(text: str) -> str:
    """NFKC, case and Han-variant folding; NFKC only where it changes something (`fold_pieces`): fast on whole posts."""
    return fold_pieces(text).casefold()


def findings(text: PostText, rules: Mapping[int, Iterable[str]]) -> dict[int, Finding]:
    """For each topic whose keywords the post mentions anywhere, what was found where, by topic id."""
    headlines = [(place, fold(part)) for place, part in text.headlines()]
    bodies = [fold(body) for body in text.bodies]
    length = sum(len(body) for body in bodies)
    body_text = "\n".join(bodies)  # one text to search: no keyword holds a line break
    found = {}
    for topic_id, keywords in sorted(rules.items()):
        keywords, exceptions = _split(keywords)
        reasons = [Reason(place, counts) for place, part in headlines if (counts := _mentions(part, keywords, exceptions))]
        counts = _mentions(body_text, keywords, exceptions)
        body = Reason(BODY, counts, length) if counts else None
        if body is not None and body.frequent:
            reasons.append(body)
        if reasons or body is not None:
            found[topic_id] = Finding(tuple(reasons), body)
    return found


def matching_topics(text: PostText, rules: Mapping[int, Iterable[str]]) -> list[int]:
    """The ids of the topics the post is about, in id order."""
    return [topic_id for topic_id, finding in findings(text, rules).items() if finding.applies]


def keywords_and_exceptions(keywords: Iterable[str]) -> tuple[list[str], list[str]]:
    """A topic's keywords and its exceptions (without their `-`), as written: for showing them."""
    plain, exceptions = [], []
    for written in filter(None, (keyword.strip() for keyword in keywords)):
        if _folded_keyword(written).startswith(EXCEPTION):
            exceptions.append(written[1:].strip())
        else:
            plain.append(written)
    return plain, [e for e in exceptions if e]


def _split(keywords: Iterable[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """(as written, folded) of the keywords, and the folded exceptions."""
    plain, exceptions = [], []
    for written in keywords:
        folded = _folded_keyword(written)
        if folded.startswith(EXCEPTION):
            exceptions.append(folded.removeprefix(EXCEPTION).strip())
        elif folded:
            plain.append((written.strip(), folded))
    return plain, [e for e in exceptions if e]


@functools.lru_cache(maxsize=4096)  # the same few hundred keywords for every post
def _folded_keyword(written: str) -> str:
    return fold(written).strip()


def _mentions(text: str, keywords: list[tuple[str, str]], exceptions: list[str]) -> tuple[tuple[str, int], ...]:
    """(keyword as written, mentions) in the text, the most mentioned first (then in the rule's order)."""
    text = _masked(text, exceptions)
    spans = sorted((start, end, order) for order, (_, folded) in enumerate(keywords) for start, end in _spans(folded, text))
    counts = dict.fromkeys((written for written, _ in keywords), 0)
    covered = 0
    for start, end, order in spans:
        if start >= covered:
            counts[keywords[order][0]] += 1
        covered = max(covered, end)
    ranked = sorted(counts.items(), key=lambda item: -item[1])  # stable: ties keep the rule's order
    return tuple(item for item in ranked if item[1])


def _masked(text: str, exceptions: list[str]) -> str:
    """`text` with the exceptions' occurrences blanked out (NUL: no keyword contains it)."""
    pieces, done = [], 0
    for start, end in sorted(span for exception in exceptions for span in _spans(exception, text)):
        start = max(start, done)
        if end > start:
            pieces += [text[done:start], "\0" * (end - start)]
            done = end
    return "".join(pieces) + text[done:] if pieces else text


def _spans(keyword: str, text: str) -> list[tuple[int, int]]:
    """Where `text` mentions `keyword` (a word in other scripts than CJK only whole)."""
    word_start, word_end = _word_ends(keyword)
    found = []
    start = text.find(keyword)
    while start >= 0:
        end = start + len(keyword)
        whole_start = not word_start or start == 0 or char_class(text[start - 1]) != LATIN
        whole_end = not word_end or end == len(text) or char_class(text[end]) != LATIN
        if whole_start and whole_end:
            found.append((start, end))
        start = text.find(keyword, start + 1)
    return found


@functools.lru_cache(maxsize=4096)
def _word_ends(keyword: str) -> tuple[bool, bool]:
    """Whether the keyword starts, and ends, with a letter of a script matched by whole words."""
    return char_class(keyword[0]) == LATIN, char_class(keyword[-1]) == LATIN
