"""The archive as data: JSON and CSV of any search, a post's parsed form, the outlets."""

from __future__ import annotations

import csv

from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from posts.ingest.dates import iso
from posts.models import Post, Source
from posts.web.results import Result, Search

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@require_GET
def posts_json(request):
    search = Search(request.GET)
    if not search.valid:
        return JsonResponse(
            {"errors": search.filterset.errors.get_json_data()}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    page = search.page(request.GET.get("page"))
    next_url = None
    if page.has_next():
        params = request.GET.copy()
        params["page"] = page.next_page_number()
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return JsonResponse(
        {
            "count": search.total,
            "count_capped": search.capped,
            "next": next_url,
            "results": [_summary(request, result) for result in search.results(page)],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def posts_csv(request):
    search = Search(request.GET)
    if not search.valid:
        return HttpResponse("; ".join(_errors(search)), status=400, content_type="text/plain; charset=utf-8")
    page = search.page(1, per_page=search.cap)  # every matching post the search counts
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="posts.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(["id", "url", "title", "published_on", "article_date", "article_outlet", "article_author",
                     "sources", "topics", "snippets"])
    for result in search.results(page):
        row = _summary(request, result)
        writer.writerow(
            _cell(value)
            for value in (
                row["id"], row["url"], row["title"], row["published_on"], row["article"]["date"],
                row["article"]["outlet"], row["article"]["author"], " / ".join(row["sources"]),
                " / ".join(row["topics"]), " … ".join(f"[{s['where']}] {s['text']}" for s in row["snippets"]),
            )
        )
    return response


@require_GET
def post_json(request, pk: int):
    post = get_object_or_404(Post.objects.select_related("article_outlet"), pk=pk)
    return JsonResponse(parsed_form(post), json_dumps_params={"ensure_ascii": False})


@require_GET
def sources_json(request):
    sources = Source.objects.annotate(quotes_count=Count("quotes")).order_by("name")
    return JsonResponse(
        [{"name": s.name, "slug": s.slug, "quotes": s.quotes_count} for s in sources],
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )


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
        "warnings": post.warnings,
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


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _errors(search: Search) -> list[str]:
    return [f"{field}: {message}" for field, messages in search.filterset.errors.items() for message in messages]
