"""A search as the pages, feeds and exports show it: one page of posts, their snippets, counts, facets."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils.functional import cached_property

from posts import snippets
from posts.filters import PostFilter
from posts.models import Passage, Post, Quote

PER_PAGE = 20
SNIPPETS_PER_POST = 3


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


class CappedPaginator(Paginator):
    """A paginator that is told how many there are (counted only up to a cap)."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


@dataclass
class Search:
    """What a set of GET parameters asks for (see posts.filters.PostFilter)."""

    params: QueryDict
    filterset: PostFilter = field(init=False)

    def __post_init__(self):
        self.filterset = PostFilter(self.params, queryset=Post.objects.all())

    @property
    def valid(self) -> bool:
        return self.filterset.is_valid()

    @property
    def query(self):
        return self.filterset.query

    @cached_property
    def posts(self) -> QuerySet:
        return self.filterset.qs if self.valid else Post.objects.none()

    @property
    def cap(self) -> int:
        """Counts are exact up to here; past it a search says "1,000+" and pages stop."""
        return settings.SEARCH_COUNT_CAP

    @cached_property
    def total(self) -> int:
        return self.posts.capped_count(self.cap)

    @property
    def total_is_capped(self) -> bool:
        return self.total > self.cap

    @property
    def total_label(self) -> str:
        return f"{self.cap:,}件以上" if self.total_is_capped else f"{self.total:,}件"

    def page(self, number, per_page: int = PER_PAGE) -> Page:
        shown = self.posts.select_related("article_outlet").prefetch_related(
            Prefetch("quotes", queryset=Quote.objects.select_related("source")), "topics"
        )
        return CappedPaginator(shown[: self.cap], per_page, min(self.total, self.cap)).get_page(number)

    def results(self, page: Page) -> list[Result]:
        terms = self.query.highlight_terms
        return [
            Result(post, snippets.highlight(post.title, terms), post_snippets(post, terms) if terms else [])
            for post in page.object_list
        ]

    def facets(self) -> dict[str, list[dict]]:
        return {
            "sources": self.posts.source_counts(),
            "topics": self.posts.topic_counts(),
            "years": self.posts.year_counts(),
        }


def post_snippets(post: Post, terms, limit: int = SNIPPETS_PER_POST) -> list[Snippet]:
    """Up to `limit` snippets of where `terms` matched in `post`'s text, labelled by part (the title is shown whole)."""
    found = []
    for text in post.texts(post.quotes.all()):
        if text.part == Passage.Part.TITLE:
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
