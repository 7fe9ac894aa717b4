"""One tokenizer for documents and queries: how text becomes search tokens. Pure Python.

PostgreSQL has no Japanese text search, and word analysers miss substrings
inside words. So text is normalised (NFKC, lower case) and split into runs of
one script class:

- CJK runs (kana with ー, Han, 々〆〇, Hangul) give one token per character
  position: the character and the next one (a bigram), the last character of
  the run alone. Any substring of two or more characters is then a phrase of
  adjacent bigrams; a single character is a prefix of some token.
- Latin runs and digit runs give one token each: English is searched by words
  and word beginnings.

Everything else (spaces, punctuation, symbols) separates runs and is ignored.

    >>> [t.text for t in document_tokens("FBI長官パテル")]
    ['fbi', '長官', '官パ', 'パテ', 'テル', 'ル']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

CJK, LATIN, DIGIT = "cjk", "latin", "digit"
_VOICING = frozenset("\u3099\u309a\uff9e\uff9f")


def char_class(ch: str) -> str | None:
    """The run class of one normalised character, or None for a separator."""
    code = ord(ch)
    if ch.isdigit() and code < 0x80:
        return DIGIT
    if (
        0x3041 <= code <= 0x30FF  # hiragana, katakana (ー included; ・ U+30FB excluded below)
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= code <= 0x3FFFF  # CJK extensions B onwards
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0x1100 <= code <= 0x11FF  # Hangul jamo
        or 0x31F0 <= code <= 0x31FF  # katakana phonetic extensions
        or ch in "々〆〇"
    ):
        return None if ch in "・゠" else CJK
    if ch.isalpha():
        return LATIN  # any other alphabet is searched by words too
    if ch.isdigit():
        return DIGIT
    return None


def normalize(text: str) -> tuple[str, list[int]]:
    """NFKC and lower case, with the index in `text` each normalised character came from.

    A character and the combining or voicing marks after it are normalised
    together (`ｶﾞ` becomes `ガ`), so indexes stay exact for highlighting.
    """
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or text[j] in _VOICING):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j]).lower()
        out.append(piece)
        origin.extend([i] * len(piece))
        i = j
    return "".join(out), origin


@dataclass(frozen=True)
class Run:
    kind: str
    text: str
    start: int  # index in the normalised text


def runs(normalized: str) -> Iterator[Run]:
    start, kind = 0, None
    for i, ch in enumerate(normalized):
        cls = char_class(ch)
        if cls != kind:
            if kind is not None:
                yield Run(kind, normalized[start:i], start)
            start, kind = i, cls
    if kind is not None:
        yield Run(kind, normalized[start:], start)


@dataclass(frozen=True)
class Token:
    text: str
    position: int  # 1-based, consecutive across runs


def document_tokens(text: str) -> list[Token]:
    normalized, _ = normalize(text)
    tokens: list[Token] = []
    for run in runs(normalized):
        if run.kind == CJK:
            chars = run.text
            tokens.extend(Token(chars[i : i + 2], len(tokens) + 1 + i) for i in range(len(chars)))
        else:
            tokens.append(Token(run.text, len(tokens) + 1))
    return tokens


def tsvector_literal(tokens: list[Token]) -> str:
    """The tokens as a tsvector literal (`'停戦':1 '戦交':2 …`), to CAST in SQL.

    A lexeme keeps at most 256 positions and positions stop at 16,383: callers
    index passages of a few thousand characters, well inside both.
    """
    positions: dict[str, list[int]] = {}
    for token in tokens:
        positions.setdefault(token.text, []).append(min(token.position, 16383))
    return " ".join(
        f"'{_quote(lexeme)}':{','.join(map(str, sorted(set(found))[:256]))}" for lexeme, found in positions.items()
    )


def _quote(lexeme: str) -> str:
    return lexeme.replace("\\", "\\\\").replace("'", "''")
