"""Admin actions: re-parse posts (after a preview of what changes), clear corrections, merge outlets."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse

from posts.ingest.dates import iso
from posts.ingest.importing import FAILED, plan_text, reparse
from posts.ingest.previews import planned_parts
from posts.ingest.warning_text import warning_text
from posts.models import Post, Quote, Source


@admin.action(description="選んだ投稿を現在のパーサーで読み直す(変更を確認してから)", permissions=["change"])
def reparse_posts(model_admin, request, queryset):
    posts = list(queryset.select_related("article_outlet").prefetch_related("quotes__source"))
    if request.POST.get("apply") == "yes":
        results = [reparse(post) for post in posts]
        failed = [r for r in results if r.outcome == FAILED]
        model_admin.message_user(request, f"{len(results) - len(failed)}件を読み直しました。")
        for result in failed:
            model_admin.message_user(request, f"{result.name}: {result.error}", messages.ERROR)
        return None
    changes = [(post, reparse_changes(post)) for post in posts]
    return TemplateResponse(
        request,
        "admin/posts/reparse_preview.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "投稿の読み直し: 変わる点",
            "opts": model_admin.model._meta,
            "changes": changes,
            "queryset": queryset,
            "action": "reparse_posts",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def reparse_changes(post: Post) -> list[tuple[str, str, str]]:
    """(what, now, after re-reading) for each thing the current parser reads differently."""
    parsed = plan_text(post.raw_text).parsed
    corrected = post.corrections
    quotes = list(post.quotes.all())
    rows = [
        ("題名", post.title, corrected.get("title", parsed.title)),
        ("論評対象の日付", _iso(post.article_date), _iso(parsed.article.date)),
        ("論評対象の掲載元", post.article_outlet.name if post.article_outlet else "", parsed.article.outlet),
        ("論評対象の筆者", post.article_author, parsed.article.author),
        ("公開日", _iso(post.published_on), corrected.get("published_on", _iso(parsed.published_on))),
        ("引用の数", str(len(quotes)), str(len(parsed.quotes))),
    ]
    planned = planned_parts(post, parsed).quotes  # as the re-parse will store them, the corrections applied
    for n, (quote, new, after) in enumerate(zip(quotes, parsed.quotes, planned), start=1):
        rows += [
            (f"引用{n}の日付", _iso(quote.date), _iso(new.date)),
            (f"引用{n}の情報源", quote.source.name if quote.source else "", after.outlet),
            (f"引用{n}の原題", quote.original_title, after.original_title),
            (f"引用{n}の訳題", quote.translated_title, after.translated_title),
            (f"引用{n}の本文(文字数)", str(len(quote.body)), str(len(new.body))),
            (f"引用{n}の一言", quote.remark, new.remark),
        ]
    rows += [
        ("論評(文字数)", str(len(post.commentary)), str(len(parsed.commentary))),
        ("記事(文字数)", str(len(post.article_body)), str(len(parsed.article_body))),
        ("読み取りの注意", _warnings(post.warnings), _warnings(w.to_dict() for w in parsed.warnings)),
    ]
    return [(what, now or "", after or "") for what, now, after in rows if (now or "") != (after or "")]


@admin.action(description="選んだ投稿の管理者の修正を取り消し、テキストから読み直す", permissions=["change"])
def clear_corrections(model_admin, request, queryset):
    count = 0
    for post in queryset:
        post.corrections = {}
        post.save(update_fields=["corrections"])
        reparse(post)
        count += 1
    model_admin.message_user(request, f"{count}件の修正を取り消しました。")


@admin.action(description="選んだ情報源を1つにまとめる(引用を移す)", permissions=["change"])
def merge_sources(model_admin, request, queryset):
    sources = list(queryset.order_by("name"))
    target = next((s for s in sources if str(s.pk) == request.POST.get("target")), None)
    if request.POST.get("apply") == "yes" and target is not None and len(sources) > 1:
        merged = merge_into(target, [s for s in sources if s.pk != target.pk])
        model_admin.message_user(request, f"{merged}件の情報源を「{target.name}」にまとめました。")
        return None
    if len(sources) < 2:
        model_admin.message_user(request, "まとめる情報源を2つ以上選んでください。", messages.WARNING)
        return None
    return TemplateResponse(
        request,
        "admin/posts/merge_sources.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "情報源をまとめる",
            "opts": model_admin.model._meta,
            "sources": sources,
            "queryset": queryset,
            "action": "merge_sources",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def merge_into(target: Source, others: list[Source]) -> int:
    """Move the others' quotes and commented articles to `target`; their names become its aliases."""
    merged = {other.pk for other in others}
    with transaction.atomic():
        Quote.objects.filter(source__in=merged).update(source=target)
        Post.objects.filter(article_outlet__in=merged).update(article_outlet=target)
        for post in Post.objects.filter(corrections__has_key="quotes"):
            corrections = post.corrections["quotes"].values()
            if any(c.get("source") in merged for c in corrections):
                for correction in corrections:
                    if correction.get("source") in merged:
                        correction["source"] = target.pk
                post.save(update_fields=["corrections"])
        for other in others:
            target.aliases = _unique([*target.aliases, other.name, *other.aliases], exclude=target.name)
            target.domains = _unique([*target.domains, *other.domains])
        Source.objects.filter(pk__in=merged).delete()
        target.save(update_fields=["aliases", "domains"])
    return len(others)


def _unique(items: list[str], exclude: str = "") -> list[str]:
    seen, kept = {exclude}, []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            kept.append(item)
    return kept


def _warnings(stored) -> str:
    return "\n".join(map(warning_text, stored))


def _iso(date) -> str:
    return iso(date) or ""
