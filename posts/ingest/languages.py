"""The language of a quote's original title, read from its scripts. Pure Python.

Kana make it Japanese; Han without kana, Chinese; Latin letters, English (the archive's Latin-script
outlets write in English), unless a tenth of them are letters English does not use (`é`, `ß`, `ł`);
other scripts (Hangul, Cyrillic) or no letters at all are `other`. Where scripts mix, the one with
most letters wins, so a Chinese title naming the FBI is Chinese and an English one naming 周晓辉 is
English. A title of Han only is Chinese, unless its outlet writes in Japanese.

`title_tag` gives the BCP 47 tag a page puts in `lang` (so that a screen reader picks the voice): Chinese as
traditional (`zh-Hant`) or simplified (`zh-Hans`) by which of OpenCC's tables changes more of its characters,
Hangul as `ko`, Cyrillic as `ru` (or `uk` with letters only Ukrainian has), and `und` for Latin letters
English does not use (the scripts do not say which language).

    >>> [title_language(t) for t in ("関税の行方", "中共为何不满", "Tariffs rise", "Élections à Paris", "")]
    ['ja', 'zh', 'en', 'other', 'other']
    >>> [title_tag(t) for t in ("關稅戰升級", "中共为何不满", "미국 관세", "Тарифы", "日米首脳会談")]
    ['zh-Hant', 'zh-Hans', 'ko', 'ru', 'zh']
    >>> title_tag("日米首脳会談", outlet_language="ja")
    'ja'
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter

import opencc

JA, EN, ZH, OTHER = "ja", "en", "zh", "other"  # the values of posts.models.Language


def title_language(text: str, outlet_language: str = "") -> str:
    """ja, en, zh or other (the values of posts.models.Language)."""
    letters = _letters(text)
    if letters["kana"]:
        return JA
    if not letters:
        return OTHER
    latin = letters["latin"] + letters["latin-other"]
    script = max(("han", "other"), key=lambda name: letters[name])
    if latin >= letters[script]:
        return OTHER if letters["latin-other"] * 10 >= latin else EN
    if script == "han":
        return JA if outlet_language == JA else ZH
    return OTHER


def title_tag(text: str, outlet_language: str = "") -> str:
    """The title's language as a BCP 47 tag for `lang`; "" when it has no letters."""
    language = title_language(text, outlet_language)
    if language in (JA, EN):
        return language
    if language == ZH:
        return _chinese(text)
    letters = _letters(text)
    if not letters:
        return ""
    if letters["hangul"] and letters["hangul"] >= letters["other"]:
        return "ko"
    if letters["cyrillic"] and letters["cyrillic"] >= letters["other"]:
        return "uk" if any(ch in "іїєґІЇЄҐ" for ch in text) else "ru"
    return "und"


def _chinese(text: str) -> str:
    """zh-Hant when more of the characters are traditional forms than simplified ones, zh-Hans for the reverse."""
    traditional = _changed(_converter("t2s"), text)
    simplified = _changed(_converter("s2t"), text)
    if traditional == simplified:
        return ZH
    return "zh-Hant" if traditional > simplified else "zh-Hans"


def _changed(converter: opencc.OpenCC, text: str) -> int:
    return sum(converter.convert(ch) != ch for ch in set(text) if _script(ch) == "han")


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _letters(text: str) -> Counter:
    letters = Counter(_script(ch) for ch in unicodedata.normalize("NFKC", text) if ch.isalpha())
    letters.pop(None, None)
    # Hangul and Cyrillic count as "other" too, for title_language.
    letters["other"] += letters["hangul"] + letters["cyrillic"]
    return +letters


def _script(ch: str) -> str | None:
    if "\u3041" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" or "\uff66" <= ch <= "\uff9d":
        return "kana"
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return "han"
    if name.startswith("LATIN"):
        return "latin" if ch.isascii() else "latin-other"
    if name.startswith("HANGUL"):
        return "hangul"
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    return "other"
