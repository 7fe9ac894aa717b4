"""The pages readers browse. Each view: read the request, query, render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from posts.ingest.links import url_key
from posts.ingest.topics import keywords_and_exceptions
from posts.models import Link, Post, Source, Topic
from posts.search.facets import facet_counts, quote_facet_counts
from posts.search.query import parse_query
from posts.web import charts, months, reading
from posts.web.canonical import clean_query
from posts.web.choices import choices
from posts.web.limits import search_rate_limited
from posts.web.quotes import QuoteSearch
from posts.web.results import Search
from posts.web.sources import source_rows

QUOTES_PER_PAGE = 50


@require_safe
@clean_query(sort="new")
@search_rate_limited
def post_list(request):
    search = Search(request.GET)
    context = _search_context(search, request.GET.get("page"), _month_links(reverse("post_list"), search.params))
    return render(request, "posts/post_list.html", context, status=_status(search))


@require_safe
def post_detail(request, pk: int):
    post = get_object_or_404(Post.objects.select_related("article_outlet").prefetch_related("topics"), pk=pk)
    quotes = list(
        post.quotes.select_related("source").prefetch_related(Prefetch("links", queryset=Link.objects.order_by("position")))
    )
    query = parse_query(request.GET.get("q", ""))
    terms = query.highlight_terms
    cited_by = post.citations(quotes)
    return render(
        request,
        "posts/post_detail.html",
        {
            "post": post,
            "absolute_url": request.build_absolute_uri(post.get_absolute_url()),
            "query": query,
            "title": reading.marked(post.title, terms),
            "quotes": [
                {
                    "quote": quote,
                    "original_title": reading.marked(quote.original_title, terms),
                    "translated_title": reading.marked(quote.translated_title, terms),
                    "body": reading.folded(quote.body, terms),
                    "remark": reading.marked(quote.remark, terms),
                    "cited_by": cited_by.get(quote.pk, 0),
                    "cited_url": next((link.url for link in quote.links.all()), ""),
                }
                for quote in quotes
            ],
            "commentary": reading.marked(post.commentary, terms),
            "article": reading.marked(post.article_body, terms),
            "sources": sorted({q.source for q in quotes if q.source} | ({post.article_outlet} - {None}), key=str),
            "older": post.older(),
            "newer": post.newer(),
        },
    )


@require_safe
@clean_query(sort="new")
@search_rate_limited
def quote_list(request):
    search = QuoteSearch(request.GET)
    page = search.page(request.GET.get("page"))
    return render(
        request,
        "posts/quote_list.html",
        {
            "search": search,
            "filter": search.filterset,
            "page": page,
            "rows": search.rows(page.object_list),
            "facets": search.facet_counts,
            "source_choices": choices(search.params, "source", search.facet_counts["sources"], "quotes"),
        },
        status=_status(search),
    )


FACETS = {"source": ("sources", "情報源"), "topic": ("topics", "トピック")}


@require_safe
@clean_query(sort="new")
@search_rate_limited
def facet_list(request, name: str):
    """Every value of a facet of a search of the posts, not only the top ones, with a box that filters them."""
    if name not in FACETS:
        raise Http404("no such facet")
    return _every_value(request, name, Search, facet_counts, "posts", reverse("post_list"))


@require_safe
@clean_query(sort="new")
@search_rate_limited
def quote_facet_list(request):
    """Every outlet of a search of the quotes."""
    return _every_value(request, "source", QuoteSearch, quote_facet_counts, "quotes", reverse("quote_list"))


def _every_value(request, name: str, search_class, counts, counted: str, base: str):
    key, label = FACETS[name]
    params = request.GET.copy()
    wanted = params.pop("filter", [""])[-1].strip()[:100]
    search = search_class(params)
    # Counted as if none of its values were chosen, so that every value can be added to those chosen.
    unchosen = search
    if name in params:
        others = params.copy()
        others.pop(name)
        unchosen = search_class(others)
    rows = counts(unchosen.ids, limit=None)[key]
    if wanted:
        rows = [row for row in rows if wanted.casefold() in row["name"].casefold()]
    return render(request, "posts/facet_list.html", {
        "search": search, "label": label, "base": base, "wanted": wanted,
        "choices": choices(params, name, rows, counted),
        "hidden": [(key, value) for key, values in params.lists() for value in values if key != "page"],
    }, status=_status(search))


@require_safe
@clean_query()
def link_detail(request):
    """Every post that cites a URL, however it was written (`?url=…`)."""
    url = request.GET.get("url", "").strip()[:2000]
    key = url_key(url) if url else ""
    links = (
        Link.objects.filter(url_key=key).select_related("post", "quote__source").order_by("-post__published_on", "post_id")
        if key else Link.objects.none()
    )
    return render(request, "posts/link_detail.html", {"url": url, "key": key, "links": links[:500]})


@require_safe
@clean_query(sort="quotes")
def source_list(request):
    filterset, rows = source_rows(request.GET)
    return render(request, "posts/source_list.html", {"filter": filterset, "rows": rows}, status=200 if filterset.is_valid() else 400)


@require_safe
def source_detail(request, slug: str):
    source = get_object_or_404(Source, slug=slug)
    quotes = (
        source.quotes.select_related("post")
        .defer("post__raw_text", "post__article_body", "post__commentary")
        .prefetch_related(Prefetch("links", queryset=Link.objects.order_by("position")))
        .order_by("-date", "-post__published_on", "position")
    )
    page = _paginate(quotes, request.GET.get("page"), QUOTES_PER_PAGE)
    quotes_of = QueryDict(mutable=True)
    quotes_of["source"] = source.slug
    chart = charts.monthly_chart(
        source.quote_months(), f"{source.name}の引用数(月別)", href=_month_links(reverse("quote_list"), quotes_of)
    )
    commented = Post.objects.filter(article_outlet=source).count()
    return render(
        request,
        "posts/source_detail.html",
        {
            "source": source, "page": page, "chart": chart, "commented": commented, "quote_count": quotes.count(),
            "latency": source.latency(),
        },
    )


@require_safe
def topic_list(request):
    topics = Topic.objects.annotate(post_count=Count("posts")).order_by("-post_count", "name")
    return render(request, "posts/topic_list.html", {"topics": topics})


@require_safe
@clean_query(sort="new")
@search_rate_limited
def topic_detail(request, slug: str):
    topic = get_object_or_404(Topic, slug=slug)
    keywords, exceptions = keywords_and_exceptions(topic.keywords)
    search = Search(_params(request, topic=slug))
    context = _search_context(search, request.GET.get("page"), _month_links(request.path, request.GET))
    return render(request, "posts/topic_detail.html", {**context, "topic": topic, "keywords": keywords, "exceptions": exceptions},
                  status=_status(search))


@require_safe
def archive_index(request):
    """Every year with posts, with its count and its months."""
    return render(request, "posts/archive_index.html", {"years": months.archive_years(Post.objects.months())})


@require_safe
@clean_query(sort="new")
@search_rate_limited
def archive_year(request, year: int):
    return _archive(request, year, None)


@require_safe
@clean_query(sort="new")
@search_rate_limited
def archive_month(request, year: int, month: int):
    return _archive(request, year, month)


def _archive(request, year: int, month: int | None):
    """A year's or a month's posts, searched by the request's other parameters; 404 for one without posts."""
    try:
        first, last = months.year_range(year) if month is None else months.month_range(year, month)
    except (ValueError, OverflowError):
        raise Http404("no such month") from None
    in_year = months.archive_years(Post.objects.filter(published_on__range=months.year_range(year)).months())
    if not in_year or (month is not None and month not in dict(in_year[0].months)):
        raise Http404("no posts then")
    search = Search(_params(request, date_from=first.isoformat(), date_to=last.isoformat()))
    others = request.GET.copy()
    for name in (*months.DATES, "page"):
        others.pop(name, None)
    context = _search_context(search, request.GET.get("page"), _archive_links(others))
    return render(request, "posts/archive.html", {
        **context, "year": in_year[0], "month": month, "heading": f"{year}年{month}月" if month else f"{year}年",
        "others": f"?{others.urlencode()}" if others else "",
    }, status=_status(search))


def _month_links(base: str, params: QueryDict):
    """A chart's links: each month as `params` filtered to it, at `base`."""
    return lambda year, month: base + months.month_query(params, year, month)


def _archive_links(others: QueryDict):
    """A chart's links on the archive's pages: each month's archive page, with the search's other parameters."""
    query = f"?{others.urlencode()}" if others else ""
    return lambda year, month: reverse("archive_month", args=[year, month]) + query


def _search_context(search: Search, page_number, month_links) -> dict:
    page = search.page(page_number)
    return {
        "search": search,
        "filter": search.filterset,
        "page": page,
        "results": search.results(page.object_list),
        "facets": search.facets(),
        "chips": search.chips(),
        "chart": charts.monthly_chart(search.month_counts(), "投稿数(月別)", href=month_links),
    }


def _status(search) -> int:
    """400 for parameters the search form refuses: the page still shows the form with its messages."""
    return 200 if search.valid else 400


def _params(request, **fixed) -> QueryDict:
    """The request's GET parameters with some fixed by the page (a topic, a date range)."""
    params = request.GET.copy()
    for name, value in fixed.items():
        params[name] = value
    return params


def _paginate(queryset, number, per_page):
    return Paginator(queryset, per_page).get_page(number)
