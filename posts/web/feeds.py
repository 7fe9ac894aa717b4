"""Atom feeds: the latest posts, per source, per topic and per search."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, SimplerXMLGenerator
from django.utils.html import escape
from django.utils.text import Truncator

from posts.models import Post, Source, Topic
from posts.web.results import Search

ITEMS = 30
# What XML 1.0 cannot hold: control characters but tab and line ends, lone surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class XmlSafeText(SimplerXMLGenerator):
    """Writes what XML cannot hold as U+FFFD, where Django's refuses the whole feed (a 500 for everyone while
    one such post is among the newest). The stored text keeps every character."""

    def characters(self, content):
        super().characters(NOT_XML.sub("\ufffd", content) if content else content)

    def startElement(self, name, attrs):
        super().startElement(name, {key: NOT_XML.sub("\ufffd", value) for key, value in (attrs or {}).items()})


class XmlSafeAtom1Feed(Atom1Feed):
    def write(self, outfile, encoding):
        handler = XmlSafeText(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class PostFeed(Feed):
    feed_type = XmlSafeAtom1Feed
    title = "投稿アーカイブ: 最新の投稿"
    subtitle = "海外報道を引用した日本の政治評論ブログの投稿"

    def link(self, obj=None):
        return reverse("post_list")

    def items(self, obj=None):
        return Post.objects.select_related("article_outlet").newest()[:ITEMS]

    def item_title(self, post):
        return post.title or "(無題)"

    def item_description(self, post):
        # Atom puts this in <summary type="html">: readers render it, so imported text is escaped first.
        return escape(Truncator(post.commentary or post.article_body).chars(300))

    def item_pubdate(self, post):
        return timezone.make_aware(dt.datetime.combine(post.published_on, dt.time()))

    def item_updateddate(self, post):
        return post.updated_at


class SourceFeed(PostFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Source, slug=slug)

    def title(self, source):
        return f"投稿アーカイブ: {source.name}を引用した投稿"

    def link(self, source):
        return source.get_absolute_url()

    def items(self, source):
        return Post.objects.quoting(source).select_related("article_outlet").newest()[:ITEMS]


class TopicFeed(PostFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return f"投稿アーカイブ: {topic.name}"

    def link(self, topic):
        return topic.get_absolute_url()

    def items(self, topic):
        return topic.posts.select_related("article_outlet").newest()[:ITEMS]


class SearchFeed(PostFeed):
    """The posts a search finds, newest first: the same parameters as the search page (400 for what it refuses)."""

    def __call__(self, request, *args, **kwargs):
        request.search = Search(request.GET)  # one instance is shared by every request: the search rides on it
        if not request.search.valid:
            return render(request, "posts/invalid_search.html", {"filter": request.search.filterset}, status=400)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return request.search

    def title(self, search):
        return f"投稿アーカイブ: 「{search.query.text}」の検索結果" if search.query else "投稿アーカイブ: 検索結果"

    def link(self, search):
        return f"{reverse('post_list')}?{search.params.urlencode()}"

    def items(self, search):
        # The newest of what the search finds (in the order it was asked for, up to its cap).
        return Post.objects.filter(id__any=search.ids).select_related("article_outlet").newest()[:ITEMS]
