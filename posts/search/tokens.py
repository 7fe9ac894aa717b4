"""One tokenizer for documents and queries: how text becomes search tokens. Pure Python.

PostgreSQL has no Japanese text search, and word analysers miss substrings
inside words. So text is normalised (NFKC, lower case, one form for the traditional,
simplified and Japanese forms of each Han character: `臺灣` = `台湾`) and split into
runs of one class:

- CJK runs (kana with ー, Han, 々〆〇, Hangul, Bopomofo) and digits give one
  token per character position: the character and the next one (a bigram),
  the last character of the run alone. Any substring of two or more characters
  is then found by its bigrams (and checked to stand in a row, see
  posts/search/matching.py); a single character is a prefix of some token. So `25年`
  finds `2025年`.
- Three kana in a row also give a trigram, marked `~` (so that no prefix query
  for one character reaches it). Kana bigrams are in most passages, so a phrase
  written in kana (`ありがたい`, `タイトル`) is found by its trigrams, which few
  passages hold apart: at 10,000 posts, 3,100 candidate passages for
  `ありがたい` (3,008 hold it) against 33,509 by bigrams. Kanji keep bigrams
  only: with thousands of kanji, their bigrams are far rarer than kana's, and
  trigrams everywhere would double the lexemes to store and import.
- Runs of other letters (Latin, Cyrillic, …) give one token each: English is
  searched by words and word beginnings.

Everything else (spaces, punctuation, symbols, ・) separates runs and is ignored;
invisible format characters (zero-width space and joiners, bidi marks, soft
hyphen) are dropped.

    >>> sorted(lexemes(document_runs("FBI長官パテル")))
    ['fbi', '~パテル', 'テル', 'パテ', 'ル', '官パ', '长官']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import opencc

CJK, LATIN = "cjk", "latin"  # searched by characters (digits too), searched by words
WORD_MARK = "_"  # before a word in `document_runs`: it is indexed whole, not by characters
TRIGRAM_MARK = "~"  # before a kana trigram lexeme (a separator: never in a run)
MAX_WORD_CHARS = 100  # a longer word is indexed by its first 100 letters (PostgreSQL refuses lexemes over 2 KB)

_KANA = (
    "\u3041-\u30fa\u30fc-\u30ff"  # hiragana, katakana with ー (not ・ U+30FB)
    "\u31f0-\u31ff"  # katakana phonetic extensions
)
_CJK_CHARS = _KANA + (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"  # Han
    "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"  # Hangul and its jamo
    "\u3100-\u312f\u31a0-\u31bf"  # Bopomofo
    "々〆〇"
    "\\d"  # digits
)
_KANA_RE = re.compile(f"[{_KANA}]+")
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
def _invisible() -> re.Pattern:
    """What `fold` drops (built on first use, not at every process start; a pattern: ten times faster than str.translate)."""
    invisible = "".join(re.escape(chr(c)) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf")
    return re.compile(f"[{invisible}\U000e0000-\U000e007f]")


# The Han characters whose traditional, simplified or Japanese old and new forms differ (CJK Unified
# Ideographs, extension A, compatibility ideographs, extensions B to H and the compatibility supplement).
_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))


@functools.cache
def _variants() -> dict[int, str]:
    """A `str.translate` table that folds the forms of a Han character into one: `臺`, `台` and `檯`, `灣` and `湾`,
    `習` and `习`, `曉`, `暁` and `晓` each become the same character.

    OpenCC's tables, character by character: Japanese new forms to traditional (`jp2t`), then traditional to
    simplified (`t2s`). One character always becomes one, so folded text keeps its length and its positions.
    Built on first use (a few milliseconds).
    """
    chars = [chr(c) for first, last in _HAN for c in range(first, last + 1)]
    # One character a line, so that no phrase table spans two characters.
    folded = opencc.OpenCC("t2s").convert(opencc.OpenCC("jp2t").convert("\n".join(chars))).split("\n")
    table = {c: f for c, f in zip(chars, folded) if f != c and len(f) == 1}
    # Folding twice gives what folding once gives: follow each chain to its end (牽 → 牵, and so on).
    for c, f in table.items():
        while table.get(f, f) != f:
            f = table[f]
        table[c] = f
    return {ord(c): f for c, f in table.items()}


@functools.cache
def _forms() -> dict[str, str]:
    """For each folded Han character that has other forms, all of them, itself first: `战` → `战戦戰`."""
    forms: dict[str, str] = {}
    for code, folded in _variants().items():
        forms[folded] = forms.get(folded, folded) + chr(code)
    return forms


def any_form(folded: str) -> str:
    """A regular expression for `folded` text (from `fold`) written with any form of its Han characters:
    `停战` → `停[战戦戰]`, to find it in text that is folded but for the variants (`fold_pieces(…, variants=False)`)."""
    forms = _forms()
    return "".join(f"[{forms[ch]}]" if ch in forms else re.escape(ch) for ch in folded)


def fold(text: str) -> str:
    """NFKC, lower case and one form of each Han character, without invisible characters: the form tokens are made from."""
    return _fold_forms(text).translate(_variants())


def _fold_forms(text: str) -> str:
    """NFKC and lower case, without invisible characters: `fold` but the Han variants."""
    return _invisible().sub("", unicodedata.normalize("NFKC", text).lower())


def fold_pieces(text: str, variants: bool = True) -> str:
    """`normalize(text)[0]`: `fold`, a character and its marks at a time, only where NFKC changes something.

    Several times faster than `fold` on Japanese text, where few characters change; the
    highlighting finds matches in this form. `variants=False` leaves the Han variants as written, and is
    faster still (one pass over the text fewer): a quick look for a term written with `any_form`.
    """
    out: list[str] = []
    done = 0
    for start, end in _changing_spans(text):
        out.append(text[done:start])
        out.append(_fold_forms(text[start:end]))
        done = end
    out.append(text[done:])
    folded = "".join(out)
    return folded.translate(_variants()) if variants else folded


def normalize(text: str) -> tuple[str, list[int]]:
    """`fold(text)`, with the index in `text` each folded character came from (for highlighting).

    A character and the combining or voicing marks after it are folded together
    (`ｶﾞ` becomes `ガ`), as NFKC of the whole text does. Characters that fold to
    themselves, most of any text, are copied in slices.
    """
    out: list[str] = []
    origin: list[int] = []
    done = 0
    for start, end in _changing_spans(text):
        out.append(text[done:start])
        origin.extend(range(done, start))
        piece = _fold_forms(text[start:end])
        out.append(piece)
        origin.extend([start] * len(piece))
        done = end
    out.append(text[done:])
    origin.extend(range(done, len(text)))
    return "".join(out).translate(_variants()), origin


def _changing_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where NFKC may change `text`: a character it changes, or any character followed by marks
    that compose with it; each with the marks after it (the Han variants are folded afterwards, in one pass)."""
    pattern, marks = _changing()
    done = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        if start > done and text[start] in marks:
            start -= 1  # marks after a character that folding leaves alone: they may compose with it
        yield start, end
        done = end


@functools.cache
def _changing() -> tuple[re.Pattern, frozenset[str]]:
    """A pattern for a character that folding changes or a mark, with the marks after it; and the marks.

    One character class first, so that the regex engine skips the rest of the text quickly.
    """
    changing = "".join(
        re.escape(chr(c)) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and _fold_forms(chr(c)) != chr(c)
    )
    marks = frozenset(chr(c) for c in range(0x10000) if unicodedata.combining(chr(c))) | _VOICING
    escaped = "".join(map(re.escape, sorted(marks)))
    # Characters beyond the BMP (mostly rare Han) are folded one by one.
    return re.compile(f"[{changing}{escaped}\U00010000-\U0010ffff][{escaped}]*"), marks


@dataclass(frozen=True)
class Run:
    kind: str
    text: str
    start: int  # index in the folded text


def runs(folded: str) -> Iterator[Run]:
    for match in _RUN_RE.finditer(folded):
        yield Run(match.lastgroup, match.group(), match.start())


def document_runs(text: str) -> str:
    """`text` as the index stores it: its runs, folded, between spaces; words marked with `_`.

    PostgreSQL makes the index's lexemes from this (the SQL function `posts_lexemes`, twin of
    `lexemes` below) and checks phrases against it; the runs are about as long as the text,
    where a tsvector with positions was four times as big.

    >>> document_runs("FBI長官パテル、2025年")
    ' _fbi 长官パテル 2025年 '
    """
    found = [_written(match.lastgroup, match.group()) for match in _RUN_RE.finditer(fold(text))]
    return f" {' '.join(found)} " if found else ""


def _written(kind: str, run: str) -> str:
    return run if kind == CJK else WORD_MARK + run[:MAX_WORD_CHARS]


def lexemes(runs_text: str) -> set[str]:
    """The lexemes PostgreSQL indexes for `document_runs` output (what SQL `posts_lexemes` computes).

    A CJK run gives the bigram at each character (the last character alone) and the
    marked trigram at each of three kana in a row; a word, itself.

    >>> sorted(lexemes(" _fbi 長官パテル "))
    ['fbi', '~パテル', 'テル', 'パテ', 'ル', '官パ', '長官']
    """
    found = set()
    for run in runs_text.split(" "):
        if run.startswith(WORD_MARK):
            found.add(run[1:])
        else:
            found.update(run[i : i + 2] for i in range(len(run)))
            for kana in _KANA_RE.findall(run):
                found.update(TRIGRAM_MARK + kana[i : i + 3] for i in range(len(kana) - 2))
    return found


@dataclass(frozen=True)
class Match:
    """How the database finds a term.

    `tsquery` finds, through the GIN index, the passages that have every lexeme of the
    term; when the term has more than one, `checked` says that `runs` must then be
    confirmed to hold them in order (as a substring of the passage's runs).
    `runs` is also what is counted for relevance.
    """

    tsquery: str
    runs: str
    checked: bool


def query_match(text: str) -> Match | None:
    """How to find `text` wherever a document holds it; None when it has no tokens.

    Each CJK run becomes its bigrams, or kana trigrams where three kana stand in a row; a
    run that the query continues after a separator must end where a document's run ends.
    The final run matches as a prefix: a final one-character CJK run or word through a
    prefix lexeme.

    >>> query_match("台湾有事")
    Match(tsquery="'台湾' & '湾有' & '有事'", runs='台湾有事', checked=True)
    >>> query_match("ありがたい")
    Match(tsquery="'~ありが' & '~りがた' & '~がたい'", runs='ありがたい', checked=True)
    >>> query_match("停")
    Match(tsquery="'停':*", runs='停', checked=False)
    >>> query_match("FBI長官")
    Match(tsquery="'fbi' & '长官'", runs='_fbi 长官', checked=True)
    """
    found = list(runs(fold(text)))
    parts: list[str] = []
    for n, run in enumerate(found):
        last = n == len(found) - 1
        if run.kind == CJK:
            chars = run.text
            parts.extend(f"'{gram}'" for gram in _grams(chars))
            if len(chars) == 1 or not last:
                parts.append(f"'{chars[-1]}'" + (":*" if last else ""))
        else:
            parts.append(f"'{run.text[:MAX_WORD_CHARS]}'" + (":*" if last else ""))
    if not parts:
        return None
    written = " ".join(_written(run.kind, run.text) for run in found)
    return Match(" & ".join(dict.fromkeys(parts)), written, len(parts) > 1)


def _grams(chars: str) -> list[str]:
    """The lexemes that a document holding this CJK run has at its characters: a kana trigram
    where three kana stand in a row, else the bigram (unless a trigram already holds it)."""
    trigrams = {i for i in range(len(chars) - 2) if _KANA_RE.fullmatch(chars[i : i + 3])}
    grams = []
    for i in range(len(chars) - 1):
        if i in trigrams:
            grams.append(TRIGRAM_MARK + chars[i : i + 3])
        elif i - 1 not in trigrams:
            grams.append(chars[i : i + 2])
    return grams
