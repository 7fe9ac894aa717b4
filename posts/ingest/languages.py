"""The language of a quote's original title, read from its scripts. Pure Python.

Kana make it Japanese; Han without kana, Chinese; Latin letters, English (the archive's Latin-script
outlets write in English), unless a tenth of them are letters English does not use (`é`, `ß`, `ł`);
other scripts (Hangul, Cyrillic) or no letters at all are `other`. Where scripts mix, the one with
most letters wins, so a Chinese title naming the FBI is Chinese and an English one naming 周晓辉 is
English. A Japanese title of kanji only reads as Chinese.

    >>> [title_language(t) for t in ("関税の行方", "中共为何不满", "Tariffs rise", "Élections à Paris", "")]
    ['ja', 'zh', 'en', 'other', 'other']
"""

from __future__ import annotations

import unicodedata
from collections import Counter

JA, EN, ZH, OTHER = "ja", "en", "zh", "other"  # the values of posts.models.Language


def title_language(text: str) -> str:
    letters = Counter(_script(ch) for ch in unicodedata.normalize("NFKC", text) if ch.isalpha())
    letters.pop(None, None)
    if letters["kana"]:
        return JA
    if not letters:
        return OTHER
    latin = letters["latin"] + letters["latin-other"]
    script = max(("han", "other"), key=lambda name: letters[name])
    if latin >= letters[script]:
        return OTHER if letters["latin-other"] * 10 >= latin else EN
    return ZH if script == "han" else OTHER


def _script(ch: str) -> str | None:
    if "\u3041" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" or "\uff66" <= ch <= "\uff9d":
        return "kana"
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return "han"
    if name.startswith("LATIN"):
        return "latin" if ch.isascii() else "latin-other"
    return "other"
