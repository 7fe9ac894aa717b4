"""A search as the pages, feeds and exports show it: one page of posts, their snippets, counts, facets."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import QueryDict
from django.utils.functional import cached_property

from posts.models import Passage, Post, Quote
from posts.search import snippets
from posts.search.facets import facet_counts
from posts.search.matching import Budget, Lookup
from posts.search.ranking import relevance
from posts.search.scope import Scope
from posts.web.choices import Chip, chips, choices
from posts.web.filters import PART_CHOICES, PostFilter
from posts.web.months import year_choices
from posts.web.suggestions import OutletSuggestion, outlet_suggestions

PER_PAGE = 20
SNIPPETS_PER_POST = 3
EXPORT_BATCH = 100  # an export reads its rows' texts (for the snippets) this many at a time


@dataclass(frozen=True)
class Snippet:
    label: str  # where it was found: 題名, 引用(outlet), 一言(outlet), 論評, 記事
    anchor: str  # the fragment of the post page that shows it
    segments: list[tuple[str, bool]]  # (text, matched)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.segments)


@dataclass
class Result:
    post: Post
    title: list[tuple[str, bool]]  # the title as (text, matched) segments
    snippets: list[Snippet] = field(default_factory=list)
    snippets_omitted: bool = False  # an export ran out of its budget before it read this post's texts


@dataclass
class CappedSearch:
    """A search that runs once, for the ids of what matches in the order asked for, up to `cap`: past that it
    says "1,000件以上", pages stop, and the facets count the first 1,000. Subclasses give `found_ids`.

    Its `budget` bounds the time it spends looking its terms up (posts/search/matching.py), and then what an
    export spends reading texts for snippets (`exported`)."""

    params: QueryDict
    cap: int = field(default_factory=lambda: settings.SEARCH_RESULTS_CAP)
    budget: Budget = field(default_factory=Budget)

    @property
    def valid(self) -> bool:
        return self.filterset.is_valid()

    @property
    def query(self):
        return self.filterset.query

    @cached_property
    def found_ids(self) -> list[int]:
        """The ids of up to `cap` + 1 matches, in the order asked for."""
        raise NotImplementedError

    def first_ids(self, ordered, lookup: Lookup | None) -> list[int]:
        """The first `cap` + 1 of the `ordered` ids (narrowed by `lookup`) that match: a phrase's candidates are
        checked in that order until there are enough."""
        if lookup and lookup.checks:
            return lookup.first(list(ordered), self.cap + 1)
        return list(ordered[: self.cap + 1])

    @property
    def ids(self) -> list[int]:
        return self.found_ids[: self.cap]

    @property
    def capped(self) -> bool:
        return len(self.found_ids) > self.cap

    @property
    def total(self) -> int:
        return len(self.ids)

    @property
    def total_label(self) -> str:
        return f"{self.cap:,}件以上" if self.capped else f"{self.total:,}件"

    def page(self, number, per_page: int = PER_PAGE) -> Page:
        """A page of ids."""
        return Paginator(self.ids, per_page).get_page(number)

    def exported(self, rows: Callable[..., list]) -> Iterator:
        """Every row the search counts, for an export: `rows(ids)` with snippets, EXPORT_BATCH at a time, while the
        budget lasts, then `rows(ids, texts=False)`, which reads no text and marks its rows' snippets omitted.

        A thousand posts of the longest kind hold hundreds of megabytes: this is what keeps an export of the
        broadest search within the same time as its lookups (at most the budget plus one batch)."""
        for start in range(0, len(self.ids), EXPORT_BATCH):
            batch = self.ids[start : start + EXPORT_BATCH]
            if self.budget.left:
                with self.budget.spending():
                    found = rows(batch)
            else:
                found = rows(batch, texts=False)
            yield from found


@dataclass
class Search(CappedSearch):
    """What a set of GET parameters asks of the posts (see posts.web.filters.PostFilter): the page, the facets
    and the chart all start from the ids of the first `cap` matching posts."""

    filterset: PostFilter = field(init=False)

    def __post_init__(self):
        self.filterset = PostFilter(self.params, queryset=Post.objects.all())

    @cached_property
    def found_ids(self) -> list[int]:
        if not self.valid:
            return []
        found = self.filterset.qs.order_by()
        lookup = Lookup(self.query, self.filterset.within, budget=self.budget) if self.query else None
        if lookup:
            found = lookup.narrow(found)
        order = self.filterset.order
        ids = self.first_ids((found.oldest() if order == "old" else found.newest()).values_list("id", flat=True), lookup)
        if order == "relevance" and lookup:
            # Ranked among the newest `cap`, from what the lookup read of the index (posts/search/ranking.py).
            scores = relevance(ids[: self.cap], lookup, Post.objects.count())
            ids[: self.cap] = sorted(ids[: self.cap], key=lambda pk: -scores.get(pk, 0.0))
        return ids

    @cached_property
    def facet_counts(self) -> dict[str, list[dict]]:
        """Outlets, topics, years and months of the (first `cap`) matching posts."""
        return facet_counts(self.ids)

    def results(self, ids: Sequence[int], texts: bool = True) -> list[Result]:
        """The posts of these ids (a page's, in its order), with their snippets; with `texts` False, none of their
        texts is read and the snippets are marked omitted."""
        posts = Post.objects.filter(id__any=list(ids)).select_related("article_outlet")
        quotes = Quote.objects.select_related("source")
        if texts:
            posts = posts.defer("raw_text")
        else:
            posts = posts.defer("raw_text", "commentary", "article_body")
            quotes = quotes.only("post_id", "position", "source")
        found = posts.prefetch_related(Prefetch("quotes", queryset=quotes), "topics").in_bulk()
        terms, scope = self.query.highlight_terms, self.filterset.within
        return [
            Result(
                post,
                snippets.highlight(post.title, terms),
                post_snippets(post, terms, scope) if terms and texts else [],
                snippets_omitted=bool(terms) and not texts,
            )
            for post in (found[pk] for pk in ids if pk in found)
        ]

    @cached_property
    def outlet_suggestions(self) -> list[OutletSuggestion]:
        """Outlets the query's words name, each linked to a search in its quotes (posts/web/suggestions.py)."""
        if not self.valid or not self.query.positive:
            return []
        return outlet_suggestions(self.query, self.params, self.filterset.outlets)

    def facets(self) -> dict[str, list]:
        """The top outlets and topics as links that add or take out their value, and the years (with their months
        when the posts are all in one year) as links to each."""
        return {
            "sources": choices(self.params, "source", self.facet_counts["sources"]),
            "topics": choices(self.params, "topic", self.facet_counts["topics"]),
            "years": year_choices(self.params, self.facet_counts["years"], self.facet_counts["months"]),
        }

    def chips(self) -> list[Chip]:
        """The active filters, each with the search without it."""
        if not self.valid:
            return []
        data = self.filterset.form.cleaned_data
        return chips(self.params, {
            "source": {source.slug: source.name for source in self.filterset.chosen_sources()},
            "topic": {data["topic"].slug: data["topic"].name} if data.get("topic") else {},
            "part": dict(PART_CHOICES),
            "scope": {"post": "投稿全体を検索"},
        })

    def month_counts(self) -> list[tuple]:
        return [(row["month"], row["posts"]) for row in self.facet_counts["months"]]


def post_snippets(post: Post, terms, scope: Scope = Scope(), limit: int = SNIPPETS_PER_POST) -> list[Snippet]:
    """Up to `limit` snippets of where `terms` matched in `post`'s text inside `scope`, labelled by part.

    The title is shown whole, so it gives no snippet.
    """
    found = []
    for text in post.texts(post.quotes.all()):
        if text.part == Passage.Part.TITLE or not scope.holds(post, text):
            continue
        for segments in snippets.snippets(text.text, terms):
            found.append(Snippet(part_label(text.part, text.quote), part_anchor(text.part, text.quote), segments))
            if len(found) == limit:
                return found
    return found


def part_label(part: str, quote: Quote | None) -> str:
    outlet = (quote.source.name if quote.source else quote.outlet_as_written) if quote else ""
    return {
        Passage.Part.TITLE: "題名",
        Passage.Part.QUOTE: f"引用({outlet})",
        Passage.Part.REMARK: f"一言({outlet})",
        Passage.Part.COMMENTARY: "論評",
        Passage.Part.ARTICLE: "記事",
    }[part]


def part_anchor(part: str, quote: Quote | None) -> str:
    if quote is not None:
        return f"quote-{quote.position}"
    return {Passage.Part.TITLE: "top", Passage.Part.COMMENTARY: "commentary", Passage.Part.ARTICLE: "article"}[part]
