from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from posts.web import exports, feeds, site, views
from posts.web.limits import search_rate_limited
from posts.web.sitemaps import SITEMAPS


class NameConverter:
    """A slug as stored: any characters (CJK included) but `/` and NUL, which PostgreSQL text refuses."""

    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NameConverter, "name")

urlpatterns = [
    path("", views.post_list, name="post_list"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>.json", exports.post_json, name="post_json"),
    path("posts.json", exports.posts_json, name="posts_json"),
    path("posts.csv", exports.posts_csv, name="posts_csv"),
    path("quotes/", views.quote_list, name="quote_list"),
    path("quotes/facets/source/", views.quote_facet_list, name="quote_facet_list"),
    path("links/", views.link_detail, name="link_detail"),
    path("quotes.json", exports.quotes_json, name="quotes_json"),
    path("quotes.csv", exports.quotes_csv, name="quotes_csv"),
    path("sources/", views.source_list, name="source_list"),
    path("sources.json", exports.sources_json, name="sources_json"),
    path("sources/<name:slug>/", views.source_detail, name="source_detail"),
    path("sources/<name:slug>/feed/", feeds.SourceFeed(), name="source_feed"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<name:slug>/", views.topic_detail, name="topic_detail"),
    path("topics/<name:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("archive/", views.archive_index, name="archive_index"),
    path("archive/<int:year>/", views.archive_year, name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.archive_month, name="archive_month"),
    path("feed/", feeds.PostFeed(), name="feed"),
    path("search/feed/", search_rate_limited(feeds.SearchFeed()), name="search_feed"),
    path("search/facets/<str:name>/", views.facet_list, name="facet_list"),
    path("robots.txt", site.robots_txt, name="robots_txt"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]
