"""What a post is: posts, their quotes and links, outlets, topics, earlier texts and search passages.

The models know no stage above them: the import (posts/ingest/) writes these rows and their derived
data (passages, topics), the search (posts/search/) reads them through QuerySets it is given.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, HashIndex
from django.db import connection, models
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.text import Truncator, slugify

from posts.models.lookups import Lexemes


class Language(models.TextChoices):
    """A quote's original title's language (the import reads it from its scripts: posts/ingest/languages.py), or
    the language an outlet writes in."""

    JA = "ja", "日本語"
    EN = "en", "英語"
    ZH = "zh", "中国語"
    OTHER = "other", "その他"


def unicode_slug(name: str, *, hashed: bool = False) -> str:
    """A URL slug that keeps CJK names readable: `阿波羅新聞網`, `jbプレス`, `the-gateway-pundit`.

    `hashed` adds a short hash of the name, for when another name took the plain slug.
    """
    slug = slugify(name, allow_unicode=True)[:80] or "x"
    return f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}" if hashed else slug


class SourceQuerySet(models.QuerySet):
    def latencies(self) -> dict[int, "Latency"]:
        """For each of these outlets, how many days its quotes took to reach a post (see `Latency`)."""
        with connection.cursor() as cursor:
            cursor.execute(LATENCY_SQL, {"ids": list(self.order_by().values_list("id", flat=True))})
            return {source_id: Latency(*row) for source_id, *row in cursor.fetchall()}


@dataclass(frozen=True)
class Latency:
    """Days from a quote's own time (its X status's time, in Japan, where it links one; else its date) to the
    publication of the post that quotes it: the median, the middle half (25th to 75th percentile), and of how
    many quotes."""

    median: float
    low: float
    high: float
    quotes: int


# The quotes of each outlet with the days they took; a quote without a date or a status time counts in none.
LATENCY_SQL = """
    WITH status AS (
        SELECT quote_id, min(status_time) AS status_time FROM posts_link
        WHERE status_time IS NOT NULL AND quote_id IS NOT NULL GROUP BY quote_id
    ),
    days AS (
        SELECT q.source_id, p.published_on - COALESCE((s.status_time AT TIME ZONE 'Asia/Tokyo')::date, q.date) AS days
        FROM posts_quote q JOIN posts_post p ON p.id = q.post_id LEFT JOIN status s ON s.quote_id = q.id
        WHERE q.source_id = ANY(%(ids)s)
    )
    SELECT source_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), percentile_cont(0.25) WITHIN GROUP (ORDER BY days),
           percentile_cont(0.75) WITHIN GROUP (ORDER BY days), count(*)
    FROM days WHERE days IS NOT NULL GROUP BY source_id
"""


class Source(models.Model):
    """A news outlet: quoted by posts, or the publisher of a commented article."""

    class Kind(models.TextChoices):
        NEWS = "news", "ニュースサイト"
        X_ACCOUNT = "x", "Xアカウント"
        JAPANESE = "japanese", "日本のメディア"
        OTHER = "other", "その他"

    name = models.CharField("名前", max_length=200, unique=True)
    slug = models.SlugField("URL用の名前", max_length=100, unique=True, allow_unicode=True)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True, verbose_name="別表記")
    domains = ArrayField(models.CharField(max_length=253), default=list, blank=True, verbose_name="ドメイン")
    language = models.CharField("言語", max_length=5, choices=Language.choices, blank=True)
    region = models.CharField("国・地域", max_length=50, blank=True)
    kind = models.CharField("種類", max_length=10, choices=Kind.choices, default=Kind.OTHER)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "情報源"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("source_detail", args=[self.slug])

    def latency(self) -> "Latency | None":
        return Source.objects.filter(pk=self.pk).latencies().get(self.pk)

    def quote_months(self) -> list[tuple]:
        """(first day of the month, quotes that month), for the months it was quoted."""
        rows = (
            self.quotes.exclude(date=None)
            .annotate(month=TruncMonth("date"))
            .order_by()
            .values_list("month")
            .annotate(count=Count("id"))
            .order_by("month")
        )
        return list(rows)


class TopicQuerySet(models.QuerySet):
    def rules(self) -> dict[int, list[str]]:
        return dict(self.values_list("id", "keywords"))


class Topic(models.Model):
    """A subject the blog keeps returning to; posts get it from keyword rules (see posts/ingest/topics.py)."""

    name = models.CharField("名前", max_length=100, unique=True)
    slug = models.SlugField("URL用の名前", max_length=100, unique=True, allow_unicode=True)
    keywords = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        verbose_name="キーワード",
        help_text="カンマ区切り。投稿の題名・引用の題名・論評(引用への一言を含む)に一つでもあれば、このトピックが付きます。"
        "本文(引用の本文と記事)では、1,000字あたり1回以上、かつ5回以上あるときだけ付きます。"
        "「-中国語」のように - で始まる語は例外で、その中の文字はどのキーワードにも数えません。"
        "変えたら python manage.py retag で投稿に反映します。",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "トピック"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topic_detail", args=[self.slug])


class PostQuerySet(models.QuerySet):
    def newest(self) -> "PostQuerySet":
        return self.order_by("-published_on", "-id")

    def oldest(self) -> "PostQuerySet":
        return self.order_by("published_on", "id")

    def quoting(self, *sources: Source) -> "PostQuerySet":
        """Posts that quote any of `sources` or comment on an article one of them published."""
        return self.filter(
            Q(id__in=Quote.objects.filter(source__in=sources).values("post_id")) | Q(article_outlet__in=sources)
        )

    def months(self) -> list[tuple[dt.date, int]]:
        """(first day of the month, posts that month), for the months with posts, oldest first."""
        rows = (
            self.order_by()
            .annotate(month=TruncMonth("published_on"))
            .values_list("month")
            .annotate(count=Count("id"))
            .order_by("month")
        )
        return list(rows)


class Post(models.Model):
    """One daily commentary post, as parsed from its raw text."""

    title = models.TextField("題名")
    # The post's identity with article_date: the normalised title (see importing.identity_key).
    title_key = models.TextField("識別用の題名", editable=False)
    article_date = models.DateField("論評対象の日付", null=True, blank=True)
    article_outlet = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="commented_posts",
        verbose_name="論評対象の掲載元",
    )
    article_outlet_as_written = models.TextField("掲載元(書かれたとおり)", blank=True)
    article_author = models.TextField("論評対象の筆者", blank=True)
    published_on = models.DateField("公開日")
    commentary = models.TextField("論評", blank=True)
    article_body = models.TextField("記事", blank=True)
    raw_text = models.TextField("取り込んだテキスト", help_text="ファイルのテキスト(読み取ったとおり。改行はLFに統一)。")
    content_hash = models.CharField("テキストのハッシュ", max_length=64, db_index=True, help_text="テキストのSHA-256(UTF-8)。")
    source_file = models.CharField("取り込んだファイル", max_length=255, blank=True)  # the file its current text came from
    # The post's identity by file: a later file of this name updates this post (see posts/ingest/identity.py).
    file_name = models.CharField(
        "識別用のファイル名",
        max_length=255,
        blank=True,
        help_text="この名前のファイルを取り込むと、この投稿を更新します(最初に取り込んだファイルの名前)。"
        "空にすると、ファイル名では結び付けません。",
    )
    encoding = models.CharField("文字コード", max_length=20, blank=True)
    # What the parser could not read, as codes with values: posts/ingest/parsed.py (ParseWarning.to_dict).
    warnings = models.JSONField("読み取りの注意", default=list, blank=True)
    corrections = models.JSONField(
        "管理者の修正",
        default=dict,
        blank=True,
        help_text="管理者が直したもの(題名、公開日、トピック、引用の情報源)。取り込み直しても保たれます。",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="posts", verbose_name="トピック")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = verbose_name_plural = "投稿"
        # The archive's order: a search reads its matches newest (or oldest) first from here, and stops at the cap.
        indexes = [models.Index(fields=["published_on", "id"], name="post_order")]
        constraints = [
            models.UniqueConstraint(fields=["title_key", "article_date"], nulls_distinct=False, name="post_identity"),
            models.UniqueConstraint(
                fields=["file_name"],
                condition=~Q(file_name=""),
                name="post_file_name",
                violation_error_message="この識別用のファイル名は、ほかの投稿が使っています。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("post_detail", args=[self.pk])

    def summary(self, length: int = 120) -> str:
        """The start of the commentary (or of the article, or the title) on one line: the page's description and
        its link preview."""
        text = " ".join((self.commentary or self.article_body or self.title).split())
        return Truncator(text).chars(length)

    def older(self) -> "Post | None":
        """The post before this one in the archive's order."""
        earlier = Q(published_on__lt=self.published_on) | Q(published_on=self.published_on, id__lt=self.id)
        return Post.objects.filter(earlier).newest().first()

    def newer(self) -> "Post | None":
        later = Q(published_on__gt=self.published_on) | Q(published_on=self.published_on, id__gt=self.id)
        return Post.objects.filter(later).oldest().first()

    def citations(self, quotes: Iterable["Quote"]) -> dict[int, int]:
        """For each of these quotes (with their links), how many other posts cite one of its links."""
        keys = {link.url_key: quote.pk for quote in quotes for link in quote.links.all() if link.url_key}
        citing: dict[int, set[int]] = {}
        for key, post_id in Link.objects.filter(url_key__in=list(keys)).exclude(post=self).values_list("url_key", "post_id"):
            citing.setdefault(keys[key], set()).add(post_id)
        return {quote_id: len(posts) for quote_id, posts in citing.items()}

    def texts(self, quotes: Iterable["Quote"] | None = None) -> list["PartText"]:
        """Every searchable text of the post, in reading order."""
        found = [PartText(Passage.Part.TITLE, None, "title", self.title)]
        for quote in self.quotes.all() if quotes is None else quotes:
            found += [
                PartText(Passage.Part.QUOTE, quote, "original_title", quote.original_title),
                PartText(Passage.Part.QUOTE, quote, "translated_title", quote.translated_title),
                PartText(Passage.Part.QUOTE, quote, "body", quote.body),
                PartText(Passage.Part.REMARK, quote, "remark", quote.remark),
            ]
        found += [
            PartText(Passage.Part.COMMENTARY, None, "commentary", self.commentary),
            PartText(Passage.Part.ARTICLE, None, "article_body", self.article_body),
        ]
        return [text for text in found if text.text]

    # Corrections: what an admin set by hand, kept when the post is imported or re-parsed again.

    def record_corrections(self, fields: Iterable[str]) -> None:
        """Remember the current value of these corrected fields (title, published_on, topics)."""
        for name in fields:
            if name == "title":
                self.corrections["title"] = self.title
            elif name == "published_on":
                self.corrections["published_on"] = self.published_on.isoformat()
            elif name == "topics":
                self.corrections["topics"] = sorted(self.topics.values_list("id", flat=True))

    # A quote's correction is corrections["quotes"][its position] = {"original_title": its original title as the
    # text reads it, and what an admin set: "source" (an outlet's id, or None), "corrected_original_title",
    # "corrected_translated_title"}. It is found again by the title as read, never by the corrected one.

    def record_quote_correction(self, quote: "Quote", fields: Iterable[str], read_titles: list[str]) -> None:
        """Remember what an admin set on a stored quote: its outlet ("source") or titles, as `fields` name them.

        `read_titles` are the original titles of the post's quotes as its text reads them, in order: the
        quote's own may be corrected already, or be what this correction changes.
        """
        matched = self.quote_corrections(read_titles)
        self._move_quote_corrections(matched)
        at = quote.position - 1
        correction = matched[at] if at < len(matched) else None
        if correction is None:
            read = read_titles[at] if at < len(read_titles) else quote.original_title
            correction = self.corrections.setdefault("quotes", {})[str(quote.position)] = {"original_title": read}
        for name in fields:
            if name == "source":
                correction["source"] = quote.source_id
            elif name in ("original_title", "translated_title"):
                correction[f"corrected_{name}"] = getattr(quote, name)

    def quote_corrections(self, read_titles: list[str]) -> list[dict | None]:
        """For quotes whose original titles read these, in order, the correction of each, or None.

        A correction is its position's quote's if that quote's title reads the same, else the first
        other quote's that does (the text moved it); one correction a quote at most.

            >>> Post(corrections={"quotes": {"2": {"original_title": "B", "source": 7}}}).quote_corrections(["B", "A"])
            [{'original_title': 'B', 'source': 7}, None]
        """
        found: list[dict | None] = [None] * len(read_titles)
        astray = []
        for key, correction in sorted(self.corrections.get("quotes", {}).items(), key=lambda item: int(item[0])):
            at = int(key) - 1
            if 0 <= at < len(read_titles) and read_titles[at] == correction["original_title"]:
                found[at] = correction
            else:
                astray.append(correction)
        for correction in astray:
            at = next((n for n, title in enumerate(read_titles) if found[n] is None and title == correction["original_title"]), None)
            if at is not None:
                found[at] = correction
        return found

    def _move_quote_corrections(self, matched: list[dict | None]) -> bool:
        """Key each correction that found its quote by that quote's position; True if any moved.

        A correction whose quote is gone from the text stays where it was, until a quote found there takes its place.
        """
        corrections = self.corrections.get("quotes", {})
        moved = {str(n): correction for n, correction in enumerate(matched, start=1) if correction is not None}
        placed = {id(correction) for correction in moved.values()}
        for key, correction in corrections.items():
            if id(correction) not in placed and key not in moved:
                moved[key] = correction
        if moved == corrections:
            return False
        self.corrections["quotes"] = dict(sorted(moved.items(), key=lambda item: int(item[0])))
        return True

    def correction_lines(self) -> list[str]:
        """The corrections in words, for the admin."""
        lines = []
        if "title" in self.corrections:
            lines.append(f"題名: {self.corrections['title']}")
        if "published_on" in self.corrections:
            lines.append(f"公開日: {self.corrections['published_on']}")
        if "topics" in self.corrections:
            names = Topic.objects.filter(id__in=self.corrections["topics"]).values_list("name", flat=True)
            lines.append(f"トピック: {'、'.join(names) or '(なし)'}")
        for position, correction in sorted(self.corrections.get("quotes", {}).items(), key=lambda item: int(item[0])):
            if "source" in correction:
                source = Source.objects.filter(id=correction["source"]).first() if correction["source"] else None
                lines.append(f"引用{position}の情報源: {source or '(なし)'}")
            if "corrected_original_title" in correction:
                lines.append(f"引用{position}の原題: {correction['corrected_original_title'] or '(なし)'}")
            if "corrected_translated_title" in correction:
                lines.append(f"引用{position}の訳題: {correction['corrected_translated_title'] or '(なし)'}")
        return lines

    def apply_corrections(self) -> None:
        if "title" in self.corrections:
            self.title = self.corrections["title"]
        if "published_on" in self.corrections:
            self.published_on = dt.date.fromisoformat(self.corrections["published_on"])

    def apply_quote_corrections(self, quotes: list["Quote"]) -> bool:
        """Set what an admin corrected on these quotes, as just read from the text and not stored yet.

        Each correction is then keyed by its quote's position: True if one moved (the corrections need saving).
        """
        matched = self.quote_corrections([quote.original_title for quote in quotes])
        sources = Source.objects.in_bulk([c["source"] for c in matched if c is not None and c.get("source") is not None])
        for quote, correction in zip(quotes, matched):
            if correction is None:
                continue
            # An outlet deleted since is no correction: the quote keeps the outlet it reads.
            if "source" in correction and (correction["source"] is None or correction["source"] in sources):
                quote.source = sources.get(correction["source"])
            quote.original_title = correction.get("corrected_original_title", quote.original_title)
            quote.translated_title = correction.get("corrected_translated_title", quote.translated_title)
        return self._move_quote_corrections(matched)


class Revision(models.Model):
    """An earlier text of a post, kept when an import replaced it: no imported text is ever lost."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions", verbose_name="投稿")
    raw_text = models.TextField("テキスト")
    # An earlier text imported again is this post.
    content_hash = models.CharField("テキストのハッシュ", max_length=64, db_index=True)
    source_file = models.CharField("取り込んだファイル", max_length=255, blank=True)
    encoding = models.CharField("文字コード", max_length=20, blank=True)
    imported_at = models.DateTimeField("取り込んだ日時")
    replaced_at = models.DateTimeField("置き換えた日時", auto_now_add=True)

    class Meta:
        ordering = ["post", "-replaced_at"]
        verbose_name = verbose_name_plural = "以前のテキスト"

    def __str__(self) -> str:
        return f"{self.post_id}: {self.source_file} ({self.imported_at:%Y-%m-%d %H:%M})"


class Quote(models.Model):
    """A foreign news item quoted in a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="quotes", verbose_name="投稿")
    position = models.PositiveIntegerField("順番")
    date = models.DateField("日付", null=True, blank=True, db_index=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes", verbose_name="情報源"
    )
    outlet_as_written = models.TextField("情報源(書かれたとおり)", blank=True)
    original_title = models.TextField("原題", blank=True)
    lang = models.CharField("原題の言語", max_length=5, choices=Language.choices, default=Language.OTHER)  # of the original title
    title_lang = models.CharField(
        "原題の言語タグ", max_length=16, blank=True,
        help_text="ページの lang 属性に入る BCP 47 のタグ(en、zh-Hant など)。取り込みのときに原題の文字から読みます。",
    )
    translated_title = models.TextField("訳題", blank=True)
    body = models.TextField("本文", blank=True)
    remark = models.TextField("引用への一言", blank=True, help_text="引用のリンクの後に書かれた、ブロガーの一言。")

    class Meta:
        ordering = ["post", "position"]
        constraints = [models.UniqueConstraint(fields=["post", "position"], name="quote_position")]
        verbose_name = verbose_name_plural = "引用"

    def __str__(self) -> str:
        return self.translated_title or self.original_title


class Link(models.Model):
    """A URL in a post, in order; `quote` is set when it belongs to a quoted item."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="links", verbose_name="投稿")
    quote = models.ForeignKey(
        Quote, null=True, blank=True, on_delete=models.CASCADE, related_name="links", verbose_name="引用"
    )
    position = models.PositiveIntegerField("順番")
    url = models.TextField("リンク先のURL")
    url_key = models.TextField(
        "照合用のURL", blank=True,
        help_text="URLの書き方による違い(追跡用のパラメーターなど)を除いたもの。同じ記事へのリンクは同じ値になります。",
    )
    domain = models.CharField("ドメイン", max_length=253, db_index=True)
    status_id = models.BigIntegerField("X(Twitter)の投稿ID", null=True, blank=True)
    status_time = models.DateTimeField("X(Twitter)の投稿日時", null=True, blank=True, help_text="投稿IDから読んだ日時。")

    class Meta:
        ordering = ["post", "position"]
        constraints = [models.UniqueConstraint(fields=["post", "position"], name="link_position")]
        # A hash index: equality is all that is asked, and a B-tree refuses keys over ~2.7 KB.
        indexes = [HashIndex(fields=["url_key"], name="link_url_key")]
        verbose_name = verbose_name_plural = "リンク"

    def __str__(self) -> str:
        return self.url


@dataclass(frozen=True)
class PartText:
    """One searchable text of a post: which part it is, its quote if any, the field it is in."""

    part: str
    quote: "Quote | None"
    field: str
    text: str


class Passage(models.Model):
    """A few thousand characters of one text of a post, as search runs (written by posts/search/index.py).

    Written by the import, never edited: the index of what the post says. The GIN
    index is on the lexemes PostgreSQL makes from `runs` (an expression, not a column).
    """

    class Part(models.TextChoices):
        TITLE = "title", "題名"
        QUOTE = "quote", "引用"
        REMARK = "remark", "引用への一言"
        COMMENTARY = "commentary", "論評"
        ARTICLE = "article", "記事"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="passages", verbose_name="投稿")
    quote = models.ForeignKey(
        Quote, null=True, blank=True, on_delete=models.CASCADE, related_name="passages", verbose_name="引用"
    )
    part = models.CharField("部分", max_length=10, choices=Part.choices)
    field = models.CharField("項目", max_length=20)
    start = models.PositiveIntegerField("開始位置", help_text="項目のテキストの中で、この断片が始まる位置。")
    runs = models.TextField("検索用のテキスト")

    class Meta:
        indexes = [GinIndex(Lexemes("runs"), name="passage_lexemes")]
        verbose_name = verbose_name_plural = "検索用の断片"
