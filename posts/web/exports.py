"""The archive as data: JSON and CSV of any search of the posts or the quotes, a post's parsed form, the outlets."""

from __future__ import annotations

import csv

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from posts.ingest.dates import iso
from posts.ingest.warning_text import warning_json
from posts.models import Post
from posts.web.limits import search_rate_limited
from posts.web.quotes import QuoteRow, QuoteSearch
from posts.web.results import CappedSearch, Result, Search
from posts.web.sources import source_rows, source_summary

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# In the snippets column of the rows past what an export may read (CappedSearch.exported).
SNIPPETS_OMITTED = "(抜粋は省略: 一度に書き出せる量を超えました。条件を絞ると表示されます)"


@require_safe
@search_rate_limited
def posts_json(request):
    search = Search(request.GET)
    if not search.valid:
        return _invalid_json(search)
    page = search.page(request.GET.get("page"))
    return _page_json(request, search, page, [_summary(request, result) for result in search.results(page.object_list)])


@require_safe
@search_rate_limited
def posts_csv(request):
    search = Search(request.GET)
    if not search.valid:
        return _invalid_csv(search)
    rows = ({**_summary(request, result), "omitted": result.snippets_omitted} for result in search.exported(search.results))
    return _csv(
        "posts.csv",
        ["id", "url", "title", "published_on", "article_date", "article_outlet", "article_author", "sources", "topics",
         "snippets"],
        (
            (row["id"], row["url"], row["title"], row["published_on"], row["article"]["date"], row["article"]["outlet"],
             row["article"]["author"], " / ".join(row["sources"]), " / ".join(row["topics"]), _snippet_cell(row))
            for row in rows
        ),
    )


@require_safe
@search_rate_limited
def quotes_json(request):
    search = QuoteSearch(request.GET)
    if not search.valid:
        return _invalid_json(search)
    page = search.page(request.GET.get("page"))
    return _page_json(request, search, page, [_quote(request, row) for row in search.rows(page.object_list)])


@require_safe
@search_rate_limited
def quotes_csv(request):
    search = QuoteSearch(request.GET)
    if not search.valid:
        return _invalid_csv(search)
    rows = ({**_quote(request, row), "omitted": row.snippets_omitted} for row in search.exported(search.rows))
    return _csv(
        "quotes.csv",
        ["id", "post_id", "post_url", "position", "date", "outlet", "original_title", "translated_title", "lang",
         "links", "snippets"],
        (
            (row["id"], row["post_id"], row["post_url"], row["position"], row["date"],
             row["outlet"]["name"] if row["outlet"] else "", row["original_title"], row["translated_title"], row["lang"],
             " ".join(row["links"]), _snippet_cell(row))
            for row in rows
        ),
    )


@require_safe
def post_json(request, pk: int):
    post = get_object_or_404(Post.objects.select_related("article_outlet"), pk=pk)
    return JsonResponse(parsed_form(post), json_dumps_params={"ensure_ascii": False})


@require_safe
def sources_json(request):
    """Every outlet (the parameters of /sources/ filter and sort them), with its counts, dates and latency."""
    filterset, rows = source_rows(request.GET)
    if not filterset.is_valid():
        return _invalid_json(filterset)
    return JsonResponse([source_summary(row) for row in rows], safe=False, json_dumps_params={"ensure_ascii": False})


def parsed_form(post: Post) -> dict:
    """The post in the parsed form of post-format.md, with its id (as /posts/<id>.json)."""
    quotes = post.quotes.select_related("source").prefetch_related("links")
    return {
        "id": post.pk,
        "file": post.source_file,
        "title": post.title,
        "article": {
            "date": iso(post.article_date),
            "outlet": post.article_outlet.name if post.article_outlet else "",
            "author": post.article_author,
        },
        "published_on": iso(post.published_on),
        "quotes": [
            {
                "date": iso(q.date),
                "outlet": q.source.name if q.source else "",
                "original_title": q.original_title,
                "title": q.translated_title,
                "body": q.body,
                "remark": q.remark,
                "links": [link.url for link in sorted(q.links.all(), key=lambda link: link.position)],
            }
            for q in quotes
        ],
        "commentary": post.commentary,
        "article_body": post.article_body,
        "links": list(post.links.order_by("position").values_list("url", flat=True)),
        "warnings": [warning_json(warning) for warning in post.warnings],
    }


def _summary(request, result: Result) -> dict:
    post = result.post
    sources = sorted({q.source.name for q in post.quotes.all() if q.source})
    return {
        "id": post.pk,
        "url": request.build_absolute_uri(post.get_absolute_url()),
        "title": post.title,
        "published_on": post.published_on.isoformat(),
        "article": {
            "date": post.article_date.isoformat() if post.article_date else None,
            "outlet": post.article_outlet.name if post.article_outlet else "",
            "author": post.article_author,
        },
        "sources": sources,
        "topics": [topic.name for topic in post.topics.all()],
        "snippets": [{"where": s.label, "text": s.text} for s in result.snippets],
    }


def _quote(request, row: QuoteRow) -> dict:
    quote = row.quote
    return {
        "id": quote.pk,
        "post_id": quote.post_id,
        "post_url": request.build_absolute_uri(f"{quote.post.get_absolute_url()}#quote-{quote.position}"),
        "position": quote.position,
        "date": iso(quote.date),
        "outlet": {"name": quote.source.name, "slug": quote.source.slug} if quote.source else None,
        "original_title": quote.original_title,
        "translated_title": quote.translated_title,
        "lang": quote.lang,
        "links": [link.url for link in quote.links.all()],
        "snippets": [{"where": where, "text": "".join(text for text, _ in segments)} for where, segments in row.snippets],
    }


def _page_json(request, search: CappedSearch, page, results: list[dict]) -> JsonResponse:
    """A page of results in the envelope every search's JSON has: count, count_capped, next, results."""
    next_url = None
    if page.has_next():
        params = request.GET.copy()
        params["page"] = page.next_page_number()
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return JsonResponse(
        {"count": search.total, "count_capped": search.capped, "next": next_url, "results": results},
        json_dumps_params={"ensure_ascii": False},
    )


def _invalid_json(invalid) -> JsonResponse:
    """A 400 with the reasons, for a search (or a filter set) whose parameters are wrong."""
    errors = getattr(invalid, "filterset", invalid).errors
    return JsonResponse({"errors": errors.get_json_data()}, status=400, json_dumps_params={"ensure_ascii": False})


def _invalid_csv(search: CappedSearch) -> HttpResponse:
    return HttpResponse("; ".join(_errors(search)), status=400, content_type="text/plain; charset=utf-8")


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    """Every row the search counts (page is ignored), UTF-8 with a BOM, no cell a spreadsheet would run."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(_cell(value) for value in row)
    return response


def _snippet_cell(row: dict) -> str:
    if row["omitted"]:
        return SNIPPETS_OMITTED
    return " … ".join(f"[{s['where']}] {s['text']}" for s in row["snippets"])


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _errors(search: CappedSearch) -> list[str]:
    return [f"{field}: {message}" for field, messages in search.filterset.errors.items() for message in messages]
