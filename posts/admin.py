from django.contrib import admin

from posts.models import Link, Post, Quote, Revision, Source, Topic


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["position", "date", "source", "outlet_as_written", "original_title", "translated_title", "body", "remark"]
    autocomplete_fields = ["source"]


class RevisionInline(admin.TabularInline):
    """Earlier texts of the post, replaced by later imports: read only."""

    model = Revision
    extra = 0
    fields = ["source_file", "imported_at", "replaced_at", "content_hash", "raw_text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "article_outlet", "source_file"]
    list_filter = ["published_on", "article_outlet"]
    search_fields = ["title", "source_file"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["article_outlet"]
    readonly_fields = ["title_key", "content_hash", "encoding", "warnings", "raw_text", "created_at", "updated_at"]
    inlines = [QuoteInline, RevisionInline]

    def has_add_permission(self, request):
        # Posts come from their text, through the importer, never from an empty form.
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "domains"]
    search_fields = ["name"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "source", "post"]
    list_filter = ["source"]
    search_fields = ["original_title", "translated_title"]
    list_select_related = ["source", "post"]
    raw_id_fields = ["post"]
    autocomplete_fields = ["source"]


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["url", "domain", "post", "quote", "status_time"]
    search_fields = ["url", "domain"]
    list_select_related = ["post", "quote"]
    raw_id_fields = ["post", "quote"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
