"""A search as the pages, feeds and exports show it: one page of posts, their snippets, counts, facets."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass
class Search:
    """What a set of GET parameters asks for (see posts.filters.PostFilter).

    The search runs once, for the ids of every matching post; the count, the
    page, the facets and the chart all start from those ids.
    """

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
    def post_ids(self) -> list[int]:
        if not self.valid:
            return []
        return list(self.filterset.qs.order_by().values_list("id", flat=True))

    @cached_property
    def matched(self) -> QuerySet:
        """The matching posts, unordered: for counting."""
        return Post.objects.filter(id__any=self.post_ids)

    @cached_property
    def posts(self) -> QuerySet:
        """The matching posts in the order asked for."""
        return self.filterset.ordered(self.matched)

    @property
    def total(self) -> int:
        return len(self.post_ids)

    @property
    def total_label(self) -> str:
        return f"{self.total:,}件"

    def page(self, number, per_page: int = PER_PAGE) -> Page:
        shown = self.posts.select_related("article_outlet").prefetch_related(
            Prefetch("quotes", queryset=Quote.objects.select_related("source")), "topics"
        )
        return Paginator(shown, per_page).get_page(number)

    def results(self, page: Page) -> list[Result]:
        terms = self.query.highlight_terms
        return [
            Result(post, snippets.highlight(post.title, terms), post_snippets(post, terms) if terms else [])
            for post in page.object_list
        ]

    def facets(self) -> dict[str, list[dict]]:
        if not self.post_ids:
            return {}
        return {
            "sources": self.matched.source_counts(),
            "topics": self.matched.topic_counts(),
            "years": self.matched.year_counts(),
        }

    def month_counts(self) -> list[tuple]:
        return [(row["month"], row["posts"]) for row in self.matched.month_counts()] if self.post_ids else []


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
