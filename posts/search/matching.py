"""How a parsed query is looked up: through the GIN index, phrases checked only as far as a page needs.

A term of one lexeme (a kanji, a two-character word or three kana, an English word)
is found exactly by the index. A longer term is found by the index as the passages that
hold all of its lexemes, and each of those must then be read to check that they
stand in order (`holding`). Reading costs about 15 µs a passage,
so checking every candidate of a phrase that most posts hold would cost time in
proportion to the archive. `Lookup.first` checks candidates in the order the
search shows them and stops once it has enough: a search pays for about as many
checks as the posts it shows (at most the cap, 1,000).

    lookup = Lookup(query, scope)
    ordered = lookup.narrow(Post.objects.filter(...)).newest()   # every candidate, in order
    ids = lookup.first(list(ordered.values_list("id", flat=True)), 1001)

    search(Post.objects.all(), query, scope)                      # every match, in no order

The search takes the posts to look in as a QuerySet: the models know nothing of it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import StrIndex

from posts.models import Passage
from posts.models.lookups import Lexemes
from posts.search.query import ParsedQuery, Term
from posts.search.scope import Scope

MIN_BATCH = 50
HEADROOM = 1.05  # how many more candidates a batch reads than it expects to need
MIN_SHARE = 0.05  # however few candidates matched so far, a batch reads at most 20 times what is missing
TITLE_WEIGHT = 4  # for the relevance order: a passage of a title counts as four of the text


class SearchTooBroad(Exception):
    """A search spent its budget before it had looked up all its terms (the pages say it was too broad)."""


class Budget:
    """The database time a search may spend looking its terms up (settings.SEARCH_BUDGET_MS).

    Each lookup of a term is bounded by the index (one bitmap scan), but ten terms that nearly every passage holds
    cost ten full scans: past the budget, the next lookup is not started and the search stops with SearchTooBroad.
    Its database time is then at most the budget plus one lookup, whatever the terms.
    """

    clock = staticmethod(time.perf_counter)

    def __init__(self, ms: int | None = None):
        self.seconds = (settings.SEARCH_BUDGET_MS if ms is None else ms) / 1000
        self.spent = 0.0

    @property
    def left(self) -> bool:
        """Whether more may be spent (always, when the budget is 0: no limit)."""
        return not self.seconds or self.spent <= self.seconds

    @contextmanager
    def spending(self):
        if not self.left:
            raise SearchTooBroad(f"spent {self.spent * 1000:.0f} ms of {self.seconds * 1000:.0f}")
        started = self.clock()
        try:
            yield
        finally:
            self.spent += self.clock() - started


@contextmanager
def search_plans():
    """Make PostgreSQL search through the GIN index (a bitmap scan), whatever it estimates.

    For frequent or prefix terms the planner may otherwise pick a table scan, or a
    scan of another index, that makes the lexemes of every passage it reads (~0.3 ms
    a passage, measured; at that rate over a minute for the 243,000 passages of
    10,000 posts), against tens of milliseconds through the GIN index.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # No parallel workers and no JIT: starting either costs more than these scans (5 to 60 ms).
        # One round trip for the four settings.
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;"
            " SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off"
        )
        yield


def matching(term: Term, scope: Scope = Scope()) -> QuerySet[Passage]:
    """Passages in `scope` (and in the term's own fields, `title:`) with every lexeme of `term`, through the GIN
    index: exactly the passages that hold it when it has one lexeme; for a phrase, the candidates `holding` checks."""
    found = scope.passages(Passage.objects.alias(lexemes=Lexemes("runs")).filter(lexemes__matches=term.match.tsquery))
    return found.filter(field__in=term.fields) if term.fields else found


def holding(passages: QuerySet[Passage], term: Term) -> QuerySet[Passage]:
    """Those of `passages` whose runs hold a phrase's in order (strpos: a third faster than LIKE on multibyte text).

    Give it passages by id (the candidates `matching` found), never by the lexemes: it reads every passage it is given.
    """
    return passages.alias(at=StrIndex("runs", Value(term.match.runs))).filter(at__gt=0)


def search(posts: QuerySet, query: ParsedQuery, scope: Scope = Scope()) -> QuerySet:
    """Those of `posts` that match every positive clause (within `scope`) and no negated one: all of them.

    A search page needs only the first of them in its order: `Lookup.first`.
    """
    lookup = Lookup(query, scope)
    found = lookup.narrow(posts)
    if lookup.checks:
        found = found.filter(id__any=lookup.check(list(found.values_list("id", flat=True))))
    return found


# What a search finds: posts, or quotes (the quotes page). A passage knows both.
POSTS, QUOTES = "post_id", "quote_id"


@dataclass
class TermHits:
    """The posts (or quotes) that may hold a term, and for a phrase the passages to read to be sure.

    `weights` is what the index says of each candidate for the relevance order, without reading any text: its
    passages with the term's lexemes, a title's counting TITLE_WEIGHT times.
    """

    term: Term
    passages: dict[int, Sequence[int]]  # candidate post id → its candidate passages (none for a term found exactly)
    of: str = POSTS  # what the ids are: POSTS or QUOTES
    weights: dict[int, int] = field(default_factory=dict)

    @classmethod
    def find(cls, term: Term, scope: Scope = Scope(), of: str = POSTS) -> TermHits:
        found = matching(term, scope).order_by()
        if of == QUOTES:
            found = found.filter(quote__isnull=False)
        title = Q(part=Passage.Part.TITLE)
        with search_plans():
            if not term.match.checked:
                rows = found.values_list(of).annotate(n=Count("id"), titles=Count("id", filter=title))
                weights = {key: n + (TITLE_WEIGHT - 1) * titles for key, n, titles in rows}
                return cls(term, dict.fromkeys(weights, ()), of, weights)
            passages: dict[int, list[int]] = {}
            weights = {}
            for key, pk, part in found.values_list(of, "id", "part"):
                passages.setdefault(key, []).append(pk)
                weights[key] = weights.get(key, 0) + (TITLE_WEIGHT if part == Passage.Part.TITLE else 1)
        return cls(term, passages, of, weights)

    @property
    def posts(self) -> set[int]:
        return set(self.passages)

    def holding(self, post_ids: Iterable[int]) -> set[int]:
        """Those of `post_ids` that hold the term.

        A phrase is read in two rounds: the first candidate passage of each post, then the other candidates
        of the posts not yet found. A phrase most posts hold is usually in the first, so each post costs one
        read rather than one for each passage with its lexemes.
        """
        candidates = [pk for pk in post_ids if pk in self.passages]
        if not self.term.match.checked or not candidates:
            return set(candidates)
        held = self._read([self.passages[pk][0] for pk in candidates])
        rest = [passage for pk in candidates if pk not in held for passage in self.passages[pk][1:]]
        return held | self._read(rest) if rest else held

    def _read(self, passage_ids: list[int]) -> set[int]:
        """The posts (or quotes) of those of these passages that hold the term."""
        with search_plans():
            read = holding(Passage.objects.filter(id__any=passage_ids), self.term)
            return set(read.distinct().values_list(self.of, flat=True))


class Lookup:
    """A query's terms looked up once; then its candidates narrowed, and checked where a phrase needs it.

    It finds posts, or with `of=QUOTES` quotes: then each term must be in one quote's own text (its titles,
    body and remark), and `narrow` takes a QuerySet of quotes.
    """

    def __init__(self, query: ParsedQuery, scope: Scope = Scope(), of: str = POSTS, budget: Budget | None = None):
        self.budget = budget or Budget()

        def find(term: Term, scope: Scope) -> TermHits:
            with self.budget.spending():
                return TermHits.find(term, scope, of)

        # A negated term excludes the posts (or quotes) that have it anywhere, whatever the scope.
        self.positive = [[find(term, scope) for term in clause.terms] for clause in query.positive]
        self.negative = [[find(term, Scope()) for term in clause.terms] for clause in query.negative]

    @property
    def checks(self) -> bool:
        """Whether some candidates are yet to be read (the query has a phrase)."""
        return any(hits.term.match.checked for clause in self.positive + self.negative for hits in clause)

    def narrow(self, posts: QuerySet) -> QuerySet:
        """`posts` that may match: every positive clause found by the index, no negated term that needs no check."""
        found = posts
        wanted = [set().union(*(hits.posts for hits in clause)) for clause in self.positive]
        if wanted:
            found = found.filter(id__any=set.intersection(*wanted))
        unwanted = set().union(*(hits.posts for clause in self.negative for hits in clause if not hits.term.match.checked))
        if unwanted:
            found = found.exclude(id__any=unwanted)
        return found

    def check(self, post_ids: list[int]) -> list[int]:
        """Those of `post_ids` (from `narrow`) that match, in the same order."""
        kept = set(post_ids)
        for clause in self.positive:
            if any(hits.term.match.checked for hits in clause):
                kept = set().union(*(hits.holding(kept) for hits in clause))
        for clause in self.negative:
            for hits in clause:
                if hits.term.match.checked:
                    kept -= hits.holding(kept)
        return [pk for pk in post_ids if pk in kept]

    def first(self, ordered_ids: list[int], limit: int) -> list[int]:
        """The first `limit` of `ordered_ids` (from `narrow`, in a search's order) that match.

        Candidates are checked in batches a little bigger than what is still missing, given the share of
        candidates read so far that matched (at first taken as all: most candidates of a phrase hold it).
        """
        if not self.checks:
            return ordered_ids[:limit]
        found: list[int] = []
        start, share = 0, 1.0
        while start < len(ordered_ids) and len(found) < limit:
            size = max(MIN_BATCH, math.ceil((limit - len(found)) * HEADROOM / share))
            with self.budget.spending():
                found += self.check(ordered_ids[start : start + size])
            start += size
            share = max(len(found) / start, MIN_SHARE)
        return found[:limit]
