"""The search form: every view of the archive is a shareable URL of these GET parameters."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.functional import cached_property

from posts.models import Passage, Post, Source, Topic
from posts.search.query import ParsedQuery, parse_query

PARTS = {
    "quote": [Passage.Part.QUOTE],
    "commentary": [Passage.Part.COMMENTARY, Passage.Part.REMARK],
    "article": [Passage.Part.ARTICLE],
}
PART_CHOICES = [("quote", "引用記事"), ("commentary", "ブロガーの論評・一言"), ("article", "論評対象の記事")]
SORT_CHOICES = [("new", "新しい順"), ("old", "古い順"), ("relevance", "関連度順")]


class Select(forms.Select):
    """Django's <select>, with its options written in its own template: Django's includes two templates for each
    option, which cost ~8 ms of each search page for the outlets and topics (measured)."""

    template_name = "posts/widgets/select.html"


class SearchForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("開始日が終了日より後になっています。")
        return data


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="検索語", method="by_nothing", strip=False)
    date_from = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", label="開始日",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", label="終了日",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.all(), to_field_name="slug", label="情報源", method="by_source", empty_label="すべて",
        widget=Select,
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(), to_field_name="slug", field_name="topics", label="トピック", empty_label="すべて",
        widget=Select,
    )
    part = django_filters.ChoiceFilter(
        choices=PART_CHOICES, label="探す場所", method="by_nothing", empty_label="すべて", widget=Select
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, label="並べ順", method="by_nothing", empty_label=None, widget=Select
    )

    class Meta:
        model = Post
        fields = ["q", "date_from", "date_to", "source", "topic", "part", "sort"]
        form = SearchForm

    @cached_property
    def query(self) -> ParsedQuery:
        if not self.is_valid():
            return parse_query("")
        return parse_query(self.form.cleaned_data.get("q") or "")

    @property
    def parts(self) -> list[str] | None:
        return PARTS.get(self.form.cleaned_data.get("part") or "")

    def filter_queryset(self, queryset):
        # Dates, source and topic filter by themselves. The query (with the part it searches) is looked
        # up by posts.web.results.Search, which checks phrases only as far as a page needs (posts/search/matching.py).
        return super().filter_queryset(queryset)

    @property
    def order(self) -> str:
        """The order asked for, newest first by default; relevance needs a query."""
        asked = (self.form.cleaned_data.get("sort") if self.is_valid() else None) or "new"
        return "new" if asked == "relevance" and not self.query.positive else asked

    def by_source(self, queryset, name, source):
        return queryset.quoting(source)

    def by_nothing(self, queryset, name, value):
        return queryset  # read in filter_queryset
