"""Which topics a post is about, by keyword rules. Pure Python.

A topic applies to a post when one of its keywords appears in the post's
headlines (its title, the titles of the items it quotes, the blogger's
commentary) or at least `MENTIONS` times anywhere in the post. Keywords match
after NFKC and case folding, so `ＮＡＴＯ` finds `nato`: Japanese and Chinese
keywords anywhere, keywords in other scripts as whole words (`NATO` is not in
`senator`).

    >>> matching_topics("台湾有事", "", {1: ["台湾"], 2: ["中東"]})
    [1]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from posts.search.tokens import LATIN, char_class, fold_pieces

MENTIONS = 3


def fold(text: str) -> str:
    """NFKC and case folding; NFKC only where it changes something (`posts.search.tokens.fold_pieces`): fast on whole posts."""
    return fold_pieces(text).casefold()


def matching_topics(headlines: str, full_text: str, rules: Mapping[int, Iterable[str]]) -> list[int]:
    """The ids of the topics whose keywords the post matches, in id order."""
    headlines, full_text = fold(headlines), fold(full_text)
    found = []
    for topic_id, keywords in sorted(rules.items()):
        for keyword in filter(None, (fold(k).strip() for k in keywords)):
            if _mentions(keyword, headlines, 1) or _mentions(keyword, full_text, MENTIONS):
                found.append(topic_id)
                break
    return found


def _mentions(keyword: str, text: str, wanted: int) -> bool:
    """Whether `text` mentions `keyword` `wanted` times (a word in other scripts than CJK only whole)."""
    word_start = char_class(keyword[0]) == LATIN
    word_end = char_class(keyword[-1]) == LATIN
    count = 0
    start = text.find(keyword)
    while start >= 0:
        end = start + len(keyword)
        whole_start = not word_start or start == 0 or char_class(text[start - 1]) != LATIN
        whole_end = not word_end or end == len(text) or char_class(text[end]) != LATIN
        if whole_start and whole_end:
            count += 1
            if count >= wanted:
                return True
        start = text.find(keyword, start + 1)
    return False
