"""The search form: every view of the archive is a shareable URL of these GET parameters."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.functional import cached_property

from posts.ingest.sources import sources_for
from posts.models import Post, Source, Topic
from posts.search.query import ParsedQuery, parse_query
from posts.search.scope import Scope, parts_named

PART_CHOICES = [("quote", "引用記事"), ("commentary", "ブロガーの論評・一言"), ("article", "論評対象の記事")]
SORT_CHOICES = [("new", "新しい順"), ("old", "古い順"), ("relevance", "関連度順")]
# With `source` and `q`, the terms are looked for in that outlet's own text; `scope=post` looks in the whole post.
SCOPE_CHOICES = [("post", "投稿全体")]


class Select(forms.Select):
    """Django's <select>, with its options written in its own template: Django's includes two templates for each
    option, which cost ~8 ms of each search page for the outlets and topics (measured)."""

    template_name = "posts/widgets/select.html"


class SelectMultiple(forms.SelectMultiple):
    """The same for a <select multiple>."""

    template_name = "posts/widgets/select.html"


class SearchForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("開始日が終了日より後になっています。")
        return data


class SearchFilter(django_filters.FilterSet):
    """What the posts' and the quotes' searches share: the query, and the outlets chosen in the form (`source`)
    or in the query (`outlet:`, `-outlet:`)."""

    q = django_filters.CharFilter(label="検索語", method="by_nothing", strip=False)

    @cached_property
    def query(self) -> ParsedQuery:
        if not self.is_valid():
            return parse_query("")
        return parse_query(self.form.cleaned_data.get("q") or "")

    @cached_property
    def _named_outlets(self) -> dict[str, Source | None]:
        return sources_for([*self.query.outlets, *self.query.excluded_outlets])

    def chosen_sources(self) -> list[Source]:
        """The outlets chosen in the form."""
        raise NotImplementedError

    @property
    def outlets(self) -> list[Source]:
        """The outlets chosen, any of which a result must be from: `source` and the query's `outlet:`."""
        chosen = self.chosen_sources() if self.is_valid() else []
        return list(dict.fromkeys(chosen + [s for n in self.query.outlets if (s := self._named_outlets[n])]))

    @property
    def excluded_outlets(self) -> list[Source]:
        return [s for n in self.query.excluded_outlets if (s := self._named_outlets[n])]

    @property
    def problems(self) -> list[str]:
        """What the query could not use, in words: the parser's, and the outlets no source is known by."""
        unknown = [f"「{name}」という情報源は見つかりません。" for name, source in self._named_outlets.items() if source is None]
        return [*self.query.problems, *unknown]

    def by_nothing(self, queryset, name, value):
        return queryset  # read in filter_queryset


class PostFilter(SearchFilter):
    date_from = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", label="開始日",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", label="終了日",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    source = django_filters.ModelMultipleChoiceFilter(
        queryset=Source.objects.all(), to_field_name="slug", label="情報源", method="by_nothing",
        widget=SelectMultiple(attrs={"size": 6}),
    )  # repeatable: posts that quote any of them
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
    scope = django_filters.ChoiceFilter(
        choices=SCOPE_CHOICES, label="検索する範囲", method="by_nothing"
    )  # not a control of the form: set by the link on the results (templates/posts/_results.html)

    class Meta:
        model = Post
        fields = ["q", "date_from", "date_to", "source", "topic", "part", "sort", "scope"]
        form = SearchForm

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts of a post the terms must be in: the `part` asked for and the query's `in:`, both."""
        asked = (self.form.cleaned_data.get("part") or "") if self.is_valid() else ""
        wanted = [set(parts_named(names)) for names in ((asked,) if asked else (), self.query.parts) if names]
        if not wanted:
            return ()
        return tuple(sorted(set.intersection(*wanted))) or ("",)  # "": no part, so nothing matches

    def chosen_sources(self) -> list[Source]:
        return list(self.form.cleaned_data.get("source") or [])

    @property
    def outlet_exact(self) -> bool:
        """Whether the terms are looked for only in the chosen outlets' own text (see posts/search/scope.py)."""
        return bool(self.outlets and self.query.positive and self.form.cleaned_data.get("scope") != "post")

    @cached_property
    def within(self) -> Scope:
        """Where the terms must be found: the parts asked for, and the outlets' own text unless `scope=post`."""
        outlets = frozenset(source.pk for source in self.outlets) if self.outlet_exact else frozenset()
        return Scope(self.parts, outlets)

    def filter_queryset(self, queryset):
        # Dates and topic filter by themselves, the outlets here. The query's terms (in the parts and outlets
        # they must be in) are looked up by posts.web.results.Search, which checks phrases only as far as a
        # page needs (posts/search/matching.py).
        found = super().filter_queryset(queryset)
        if self.outlets:
            found = found.quoting(*self.outlets)
        if self.excluded_outlets:
            found = found.exclude(id__in=Post.objects.quoting(*self.excluded_outlets).values("id"))
        return found

    @property
    def order(self) -> str:
        """The order asked for, newest first by default; relevance needs a query."""
        asked = (self.form.cleaned_data.get("sort") if self.is_valid() else None) or "new"
        return "new" if asked == "relevance" and not self.query.positive else asked

