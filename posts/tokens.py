"""One tokenizer for documents and queries: how text becomes search tokens. Pure Python.

PostgreSQL has no Japanese text search, and word analysers miss substrings
inside words. So text is normalised (NFKC, lower case) and split into runs of
one class:

- CJK runs (kana with ー, Han, 々〆〇, Hangul, Bopomofo) and digits give one
  token per character position: the character and the next one (a bigram),
  the last character of the run alone. Any substring of two or more characters
  is then a phrase of adjacent bigrams; a single character is a prefix of some
  token. So `25年` finds `2025年`.
- Runs of other letters (Latin, Cyrillic, …) give one token each: English is
  searched by words and word beginnings.

Everything else (spaces, punctuation, symbols, ・) separates runs and is ignored;
invisible format characters (zero-width space and joiners, bidi marks, soft
hyphen) are dropped.

    >>> document_vector("FBI長官パテル")
    "'fbi':1 '長官':2 '官パ':3 'パテ':4 'テル':5 'ル':6"
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

CJK, LATIN = "cjk", "latin"  # searched by characters (digits too), searched by words
MAX_POSITION = 16383  # PostgreSQL keeps no later positions in a tsvector
MAX_POSITIONS_PER_LEXEME = 256

_CJK_CHARS = (
    "\u3041-\u30fa\u30fc-\u30ff"  # hiragana, katakana with ー (not ・ U+30FB)
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"  # Han
    "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"  # Hangul and its jamo
    "\u3100-\u312f\u31a0-\u31bf"  # Bopomofo
    "々〆〇"
    "\\d"  # digits
)
_RUN_RE = re.compile(rf"(?P<{CJK}>[{_CJK_CHARS}]+)|(?P<{LATIN}>(?:(?![{_CJK_CHARS}])[^\W_])+)")
_VOICING = frozenset("\u3099\u309a\uff9e\uff9f")


def char_class(ch: str) -> str | None:
    """The run class of one normalised character, or None for a separator."""
    match = _RUN_RE.fullmatch(ch)
    return match.lastgroup if match else None


# Invisible format characters (Unicode category Cf) that NFKC keeps: zero-width space and joiners, bidi
# marks, soft hyphen, BOM, tag characters. They are stored as written but ignored by search, so that
# `停\u200b戦` is found as 停戦. (The BMP, where the rest of this module works, and the tags.)
@functools.cache
def _invisible() -> dict[int, None]:
    """The translate table that drops them (built on first use, not at every process start)."""
    return dict.fromkeys([c for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf"] + list(range(0xE0000, 0xE0080)))


def fold(text: str) -> str:
    """NFKC and lower case, without invisible characters: the form tokens are made from."""
    return unicodedata.normalize("NFKC", text).lower().translate(_invisible())


def normalize(text: str) -> tuple[str, list[int]]:
    """`fold(text)`, with the index in `text` each folded character came from (for highlighting).

    A character and the combining or voicing marks after it are folded together
    (`ｶﾞ` becomes `ガ`), as NFKC of the whole text does. Characters that fold to
    themselves, most of any text, are copied in slices.
    """
    out: list[str] = []
    origin: list[int] = []
    done = 0
    for match in _changing().finditer(text):
        start, end = match.span()
        out.append(text[done:start])
        origin.extend(range(done, start))
        piece = fold(text[start:end])
        out.append(piece)
        origin.extend([start] * len(piece))
        done = end
    out.append(text[done:])
    origin.extend(range(done, len(text)))
    return "".join(out), origin


@functools.cache
def _changing() -> re.Pattern:
    """What folding may change: a character it changes, or any character followed by marks that compose with it."""
    changing = "".join(
        re.escape(chr(c)) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and fold(chr(c)) != chr(c)
    )
    marks = "".join(re.escape(chr(c)) for c in range(0x10000) if unicodedata.combining(chr(c))) + "".join(_VOICING)
    # Characters beyond the BMP (mostly rare Han) are folded one by one.
    return re.compile(f"[{changing}\\U00010000-\\U0010ffff][{marks}]*|.[{marks}]+|[{marks}]+", re.DOTALL)


@dataclass(frozen=True)
class Run:
    kind: str
    text: str
    start: int  # index in the folded text


def runs(folded: str) -> Iterator[Run]:
    for match in _RUN_RE.finditer(folded):
        yield Run(match.lastgroup, match.group(), match.start())


def document_vector(text: str) -> str:
    """The tokens of `text` as a tsvector literal (`'停戦':1 '戦交':2 …`), to CAST in SQL.

    Lexemes are letters, digits or CJK only, so they never need escaping. Callers
    index passages of a few thousand characters; past PostgreSQL's limits
    (position 16,383, 256 positions per lexeme) tokens are left out.
    """
    positions: dict[str, list[int]] = {}
    position = 0
    for match in _RUN_RE.finditer(fold(text)):
        run = match.group()
        for lexeme in [run[i : i + 2] for i in range(len(run))] if match.lastgroup == CJK else [run]:
            position += 1
            positions.setdefault(lexeme, []).append(position)
        if position > MAX_POSITION:
            break
    return " ".join(
        "'%s':%s" % (lexeme, ",".join(map(str, found if len(found) <= MAX_POSITIONS_PER_LEXEME else found[:MAX_POSITIONS_PER_LEXEME])))
        for lexeme, found in positions.items()
        if found[0] <= MAX_POSITION
    )


def query_tsquery(text: str) -> str | None:
    """A phrase tsquery that finds `text` wherever a document holds it; None when it has no tokens.

    Each CJK run becomes its adjacent bigrams; a run that the query continues after a
    separator also ends with its last character alone, as documents store run ends.
    A final one-character CJK run, and the final Latin or digit run, match as prefixes.

    >>> query_tsquery("停戦交渉")
    "'停戦' <-> '戦交' <-> '交渉'"
    >>> query_tsquery("停")
    "'停':*"
    >>> query_tsquery("FBI長官")
    "'fbi' <-> '長官'"
    """
    found = list(runs(fold(text)))
    parts: list[str] = []
    for n, run in enumerate(found):
        last = n == len(found) - 1
        if run.kind == CJK:
            chars = run.text
            parts.extend(f"'{chars[i : i + 2]}'" for i in range(len(chars) - 1))
            if len(chars) == 1 or not last:
                parts.append(f"'{chars[-1]}'" + (":*" if last else ""))
        else:
            parts.append(f"'{run.text}'" + (":*" if last else ""))
    return " <-> ".join(parts) or None
