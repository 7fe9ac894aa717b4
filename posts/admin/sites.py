from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html_join

from posts.admin import actions, importer
from posts.admin.owners import own_batches, own_files
from posts.ingest.importing import FAILED, plan_text, reparse
from posts.ingest.tagging import topic_reasons
from posts.ingest.warning_text import warning_text
from posts.models import ImportBatch, ImportFile, Link, Post, Quote, Revision, Source, Topic


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["source", "original_title", "translated_title"]
        widgets = {"original_title": forms.Textarea(attrs={"rows": 2}), "translated_title": forms.Textarea(attrs={"rows": 2})}


class QuoteInline(admin.StackedInline):
    """The post's quotes: what the parser read, but the outlet and the titles can be corrected."""

    model = Quote
    form = QuoteForm
    extra = 0
    fields = ["position", "date", "source", "outlet_as_written", "original_title", "translated_title", "body", "remark"]
    readonly_fields = ["position", "date", "outlet_as_written", "body", "remark"]
    autocomplete_fields = ["source"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RevisionInline(admin.TabularInline):
    """Earlier texts of the post, replaced by later imports: read only."""

    model = Revision
    extra = 0
    fields = ["source_file", "imported_at", "replaced_at", "content_hash", "raw_text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class HasWarningsFilter(admin.SimpleListFilter):
    title = "読み取りの注意"
    parameter_name = "warnings"

    def lookups(self, request, model_admin):
        return [("yes", "あり"), ("no", "なし")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(warnings=[])
        if self.value() == "no":
            return queryset.filter(warnings=[])
        return queryset


class CorrectedFilter(admin.SimpleListFilter):
    title = "管理者の修正"
    parameter_name = "corrected"

    def lookups(self, request, model_admin):
        return [("yes", "あり"), ("no", "なし")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(corrections={})
        if self.value() == "no":
            return queryset.filter(corrections={})
        return queryset


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "article_outlet", "quote_count", "warning_count", "corrected"]
    list_filter = ["published_on", "article_outlet", "topics", HasWarningsFilter, CorrectedFilter]
    search_fields = ["title", "source_file"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["article_outlet"]
    filter_horizontal = ["topics"]
    fieldsets = [
        (None, {"fields": ["title", "published_on", "topics", "topic_reasons_shown", "file_name", "corrections_shown"]}),
        ("論評対象の記事", {"fields": ["article_date", "article_outlet", "article_outlet_as_written", "article_author"]}),
        ("本文", {"fields": ["commentary", "article_body"], "classes": ["collapse"]}),
        (
            "取り込み",
            {"fields": ["source_file", "encoding", "content_hash", "title_key", "warnings_shown", "created_at", "updated_at",
                        "raw_text"], "classes": ["collapse"]},
        ),
    ]
    readonly_fields = [
        "topic_reasons_shown", "corrections_shown", "article_date", "article_outlet", "article_outlet_as_written", "article_author",
        "commentary", "article_body", "source_file", "encoding", "content_hash", "title_key", "warnings_shown",
        "created_at", "updated_at", "raw_text",
    ]
    inlines = [QuoteInline, RevisionInline]
    actions = [actions.reparse_posts, actions.clear_corrections]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article_outlet").annotate(quote_total=Count("quotes"))

    def has_add_permission(self, request):
        # Posts come from their text, through the importer, never from an empty form.
        return False

    def save_model(self, request, obj, form, change):
        obj.record_corrections(name for name in form.changed_data if name in ("title", "published_on"))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        post = form.instance
        if "topics" in form.changed_data:
            post.record_corrections(["topics"])
        read_titles = None
        for formset in formsets:
            for quote_form in formset.forms:
                if corrected := [name for name in quote_form.changed_data if name in QuoteForm.Meta.fields]:
                    # The titles as the text reads them: a correction is found again by its quote's, when imported.
                    read_titles = read_titles or [q.original_title for q in plan_text(post.raw_text).parsed.quotes]
                    post.record_quote_correction(quote_form.instance, corrected, read_titles)
        post.save(update_fields=["corrections"])
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            # Through the write path, so that the search index and the topics follow the corrections.
            result = reparse(post)
            if result.outcome == FAILED:
                self.message_user(request, f"検索用の索引を更新できませんでした: {result.error}", messages.ERROR)

    @admin.display(description="引用", ordering="quote_total")
    def quote_count(self, post):
        return post.quote_total

    @admin.display(description="注意")
    def warning_count(self, post):
        return len(post.warnings)

    @admin.display(description="修正")
    def corrected(self, post):
        return "あり" if post.corrections else ""  # words, not the boolean icon, whose alt text is "True"/"False"

    @admin.display(description="読み取りの注意")
    def warnings_shown(self, post):
        return warning_lines(post.warnings)

    @admin.display(description="トピックの理由")
    def topic_reasons_shown(self, post):
        """Which keyword gave each topic, and where: computed now by the rules that tag (posts/ingest/topics.py)."""
        rows = topic_reasons(post)
        if not rows:
            return "どのトピックのキーワードも見つかりません"
        return format_html_join("", "<div>{}</div>", ((row,) for row in rows))

    @admin.display(description="管理者の修正")
    def corrections_shown(self, post):
        rows = post.correction_lines()
        if not rows:
            return "なし(すべて取り込んだテキストのとおり)"
        return format_html_join("", "<div>{}</div>", ((row,) for row in rows))


def warning_lines(stored: list):
    """A post's or a file's parse warnings, one line each, in Japanese."""
    if not stored:
        return "なし"
    return format_html_join("", "<div>{}</div>", ((warning_text(warning),) for warning in stored))


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "region", "kind", "quote_count", "domains", "aliases"]
    list_filter = ["language", "kind"]
    search_fields = ["name", "region"]
    actions = [actions.merge_sources]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_total=Count("quotes"))

    @admin.display(description="引用数", ordering="quote_total")
    def quote_count(self, source):
        return source.quote_total


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the import writes from the text: browsable here, corrected on their post's page."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "date", "source", "post"]
    list_filter = ["source"]
    search_fields = ["original_title", "translated_title"]
    list_select_related = ["source", "post"]


@admin.register(Link)
class LinkAdmin(ReadOnlyAdmin):
    list_display = ["url", "domain", "post", "quote", "status_time"]
    search_fields = ["url", "domain"]
    list_select_related = ["post", "quote"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "keywords", "post_count"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(post_total=Count("posts"))

    @admin.display(description="投稿数", ordering="post_total")
    def post_count(self, topic):
        return topic.post_total


class ImportFileInline(admin.TabularInline):
    model = ImportFile
    extra = 0
    fields = ["position", "name", "size", "planned", "outcome", "error", "warnings_shown", "post", "content_hash"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return own_files(request.user, super().get_queryset(request))

    @admin.display(description="読み取りの注意")
    def warnings_shown(self, file):
        return warning_lines(file.warnings)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "status", "file_count", "created_at", "imported_at"]
    list_filter = ["status", "created_at"]
    readonly_fields = ["user", "status", "created_at", "imported_at"]
    inlines = [ImportFileInline]

    def get_queryset(self, request):
        batches = super().get_queryset(request).select_related("user").annotate(file_total=Count("files"))
        return own_batches(request.user, batches)

    def get_urls(self):
        return importer.urls(self) + super().get_urls()

    def has_add_permission(self, request):
        return False  # batches are made by the importer page

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="ファイル数", ordering="file_total")
    def file_count(self, batch):
        return batch.file_total


@admin.register(ImportFile)
class ImportFileAdmin(ReadOnlyAdmin):
    list_display = ["name", "batch", "size", "planned", "outcome", "post", "error"]
    list_filter = ["outcome", "planned"]
    search_fields = ["name", "content_hash"]
    list_select_related = ["batch", "post"]
    # The warnings in words; the preview's JSON is shown on the batch's review page.
    fields = ["batch", "position", "name", "size", "encoding", "content_hash", "planned", "outcome", "error",
              "warnings_shown", "post", "text"]
    readonly_fields = ["warnings_shown"]

    def get_queryset(self, request):
        return own_files(request.user, super().get_queryset(request))

    @admin.display(description="読み取りの注意")
    def warnings_shown(self, file):
        return warning_lines(file.warnings)
