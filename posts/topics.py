"""Which topics a post is about, by keyword rules. Pure Python.

A topic applies to a post when one of its keywords appears in the post's
headlines (its title, the titles of the items it quotes, the blogger's
commentary) or at least `MENTIONS` times anywhere in the post. Keywords match
as substrings after NFKC and case folding, so `ＮＡＴＯ` finds `nato`.

    >>> matching_topics("台湾有事", "", {1: ["台湾"], 2: ["中東"]})
    [1]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

MENTIONS = 3


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def matching_topics(headlines: str, full_text: str, rules: Mapping[int, Iterable[str]]) -> list[int]:
    """The ids of the topics whose keywords the post matches, in id order."""
    headlines, full_text = fold(headlines), fold(full_text)
    found = []
    for topic_id, keywords in sorted(rules.items()):
        for keyword in filter(None, (fold(k).strip() for k in keywords)):
            if keyword in headlines or full_text.count(keyword) >= MENTIONS:
                found.append(topic_id)
                break
    return found
