import hashlib
from collections.abc import Iterable

from django.contrib.postgres.fields import ArrayField
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.text import slugify

from posts.outlets import KNOWN_OUTLETS, Outlet, OutletDirectory


def unicode_slug(name: str, *, hashed: bool = False) -> str:
    """A URL slug that keeps CJK names readable: `阿波羅新聞網`, `jbプレス`, `the-gateway-pundit`.

    `hashed` adds a short hash of the name, for when another name took the plain slug.
    """
    slug = slugify(name, allow_unicode=True)[:80] or "x"
    return f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}" if hashed else slug


class SourceQuerySet(models.QuerySet):
    def directory(self) -> OutletDirectory:
        """Every spelling and domain the database and the built-in list know, database first."""
        return OutletDirectory([*(source.as_outlet() for source in self), *KNOWN_OUTLETS])

    def for_names(self, names: Iterable[str]) -> dict[str, "Source"]:
        """The sources with these names, each created (with built-in aliases if known) when new.

        Each creation commits on its own and in name order, so that imports that
        introduce the same outlets at once neither deadlock nor fail.
        """
        found = {source.name: source for source in self.filter(name__in=set(names))}
        for name in sorted(set(names) - set(found)):
            found[name] = self._create(name)
        return found

    def _create(self, name: str) -> "Source":
        known = next((o for o in KNOWN_OUTLETS if o.name == name), Outlet(name))
        for slug in (unicode_slug(name), unicode_slug(name, hashed=True)):
            try:
                with transaction.atomic():
                    return self.create(name=name, slug=slug, aliases=list(known.aliases), domains=list(known.domains))
            except IntegrityError:
                # Another import created it at the same moment, or another name has the slug.
                source = self.filter(name=name).first()
                if source:
                    return source
        raise IntegrityError(f"no free slug for the source {name!r}")


class Source(models.Model):
    """A news outlet: quoted by posts, or the publisher of a commented article."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    domains = ArrayField(models.CharField(max_length=253), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def as_outlet(self) -> Outlet:
        return Outlet(self.name, tuple(self.aliases), tuple(self.domains))


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """One daily commentary post, as parsed from its raw text."""

    title = models.TextField()
    # The post's identity with article_date: the normalised title (see importing.identity_key).
    title_key = models.TextField(editable=False)
    article_date = models.DateField(null=True, blank=True)
    article_outlet = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="commented_posts"
    )
    article_outlet_as_written = models.TextField(blank=True)
    article_author = models.TextField(blank=True)
    published_on = models.DateField(db_index=True)
    commentary = models.TextField(blank=True)
    article_body = models.TextField(blank=True)
    raw_text = models.TextField(help_text="The file's text exactly as decoded (line ends as LF).")
    content_hash = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of raw_text in UTF-8.")
    source_file = models.CharField(max_length=255, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="posts")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["title_key", "article_date"], nulls_distinct=False, name="post_identity"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("admin:posts_post_change", args=[self.pk])


class Revision(models.Model):
    """An earlier text of a post, kept when an import replaced it: no imported text is ever lost."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    raw_text = models.TextField()
    content_hash = models.CharField(max_length=64)
    source_file = models.CharField(max_length=255, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    imported_at = models.DateTimeField(help_text="When this text was imported.")
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "-replaced_at"]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.source_file} ({self.imported_at:%Y-%m-%d %H:%M})"


class Quote(models.Model):
    """A foreign news item quoted in a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="quotes")
    position = models.PositiveSmallIntegerField()
    date = models.DateField(null=True, blank=True, db_index=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes")
    outlet_as_written = models.TextField(blank=True)
    original_title = models.TextField(blank=True)
    translated_title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    remark = models.TextField(blank=True, help_text="The blogger's note after the quote's links.")

    class Meta:
        ordering = ["post", "position"]
        constraints = [models.UniqueConstraint(fields=["post", "position"], name="quote_position")]

    def __str__(self) -> str:
        return self.translated_title or self.original_title


class Link(models.Model):
    """A URL in a post, in order; `quote` is set when it belongs to a quoted item."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="links")
    quote = models.ForeignKey(Quote, null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveSmallIntegerField()
    url = models.TextField()
    domain = models.CharField(max_length=253, db_index=True)
    status_id = models.BigIntegerField(null=True, blank=True, help_text="X/Twitter status id")
    status_time = models.DateTimeField(null=True, blank=True, help_text="When the status id was issued")

    class Meta:
        ordering = ["post", "position"]
        constraints = [models.UniqueConstraint(fields=["post", "position"], name="link_position")]

    def __str__(self) -> str:
        return self.url
