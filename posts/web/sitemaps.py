"""The sitemaps (django.contrib.sitemaps) of every post, outlet, topic and year and month of the archive.

`/sitemap.xml` is the index; each section is `/sitemap-<section>.xml`, cut by Django into pages of 50,000 URLs
(`?p=2`) that the index lists.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from posts.models import Post, Source, Topic


class PostSitemap(Sitemap):
    def items(self):
        return Post.objects.only("id", "updated_at").order_by("id")

    def lastmod(self, post: Post):
        return post.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every post for the index; one aggregate says the same.
        return Post.objects.aggregate(latest=Max("updated_at"))["latest"]


class SourceSitemap(Sitemap):
    def items(self):
        return Source.objects.only("slug").order_by("slug")


class TopicSitemap(Sitemap):
    def items(self):
        return Topic.objects.only("slug").order_by("slug")


class ArchiveSitemap(Sitemap):
    """The year and month pages (/archive/2025/, /archive/2025/8/) that have posts."""

    def items(self) -> list[tuple[int, int | None]]:
        months = list(Post.objects.dates("published_on", "month"))
        years = sorted({month.year for month in months})
        return [(year, None) for year in years] + [(month.year, month.month) for month in months]

    def location(self, item: tuple[int, int | None]) -> str:
        year, month = item
        return reverse("archive_month", args=[year, month]) if month else reverse("archive_year", args=[year])


class ListSitemap(Sitemap):
    """The lists a reader starts from."""

    def items(self) -> list[str]:
        return ["post_list", "quote_list", "source_list", "topic_list", "archive_index"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "lists": ListSitemap,
    "posts": PostSitemap,
    "sources": SourceSitemap,
    "topics": TopicSitemap,
    "archive": ArchiveSitemap,
}
