"""Outlets named in the search box: a query word that is an outlet's name, another spelling of it or its web
domain is answered with a link to that outlet's quotes (「阿波羅新聞網」の引用に絞り込む)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from posts.ingest.sources import sources_for
from posts.models import Source
from posts.search.query import ParsedQuery


@dataclass(frozen=True)
class OutletSuggestion:
    source: Source
    params: QueryDict  # the search in that outlet's quotes, without the words that named it


def outlet_suggestions(query: ParsedQuery, params: QueryDict, chosen: list[Source]) -> list[OutletSuggestion]:
    """An outlet for each word of `query` that names one (or for the whole query, as `Gateway Pundit`), unless chosen."""
    named = {term.text: term.text for clause in query.positive if len(clause.terms) == 1
             for term in clause.terms if not term.fields}
    if len(named) > 1 and not (query.parts or query.outlets or query.excluded_outlets):
        named[query.text] = ""  # several words that together are a name: the search keeps none of them
    found = []
    for spelling, source in sources_for(named).items():
        if source is not None and source not in chosen and source not in (s.source for s in found):
            kept = _without(query.text, named[spelling]) if named[spelling] else ""
            narrowed = params.copy()
            narrowed.setlist("source", [source.slug])
            for name in ("q", "page", "scope"):
                narrowed.pop(name, None)
            if kept:
                narrowed["q"] = kept
            found.append(OutletSuggestion(source, narrowed))
    return found


def _without(text: str, word: str) -> str:
    """`text` without `word`, written plain or as a phrase."""
    for written in (f'"{word}"', f"「{word}」"):
        if written in text:
            return " ".join(text.replace(written, " ", 1).split())
    words = text.split()
    if word in words:
        words.remove(word)
    return " ".join(words)
