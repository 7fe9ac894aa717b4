"""How big one post may be in structure, not only in bytes: quotes, links and lines (settings POST_MAX_*).

A post over a cap is refused whole, with a one-line reason, like a file over the size limit: storing it with its
quotes cut would lose text, and one such post (20,000 quote headers in 1.6 MB) made its public page take 5 s and
its admin page run past the worker's timeout. The caps are five to ten times the largest real posts (about 600 lines,
10 quotes and 20 links), so the page and the admin of the largest accepted post still render in well under a
second (the benchmark measures it). Pure Python.

    >>> lines_refusal("a\\nb\\nc", Caps(quotes=1, links=1, lines=2))
    '行が多すぎます(3行、上限は2行)。'
"""

from __future__ import annotations

from dataclasses import dataclass

from posts.ingest.parsed import ParsedPost


@dataclass(frozen=True)
class Caps:
    quotes: int
    links: int
    lines: int


def lines_refusal(text: str, caps: Caps) -> str:
    """Why `text` is refused before it is parsed (too many lines), or ""."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return f"行が多すぎます({lines:,}行、上限は{caps.lines:,}行)。" if lines > caps.lines else ""


def structure_refusal(parsed: ParsedPost, caps: Caps) -> str:
    """Why a parsed post is refused (too many quotes or links), or ""."""
    if len(parsed.quotes) > caps.quotes:
        return f"引用が多すぎます({len(parsed.quotes):,}件、上限は{caps.quotes:,}件)。"
    if len(parsed.links) > caps.links:
        return f"リンクが多すぎます({len(parsed.links):,}件、上限は{caps.links:,}件)。"
    return ""
