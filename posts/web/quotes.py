"""Quotes as records (/quotes/, quotes.json, quotes.csv): one row a quote, with its date, outlet, titles, links and
post, filtered by outlet, date, language and topic, and searched with the posts' syntax: each term must be in
the quote's own text (its titles, body and the blogger's remark on it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import F, Prefetch
from django.utils.functional import cached_property

from posts.models import Language, Link, Quote, Source, Topic
from posts.search import snippets
from posts.search.facets import quote_facet_counts
from posts.search.matching import QUOTES, Lookup
from posts.search.scope import Scope, parts_named
from posts.web.filters import SearchFilter, SearchForm, Select, SelectMultiple
from posts.web.results import CappedSearch

QUOTE_SORT_CHOICES = [("new", "新しい順"), ("old", "古い順")]
SNIPPETS_PER_QUOTE = 2
FIELD_LABELS = {"original_title": "原題", "translated_title": "訳題", "body": "本文", "remark": "一言"}


class QuoteFilter(SearchFilter):
    source = django_filters.ModelMultipleChoiceFilter(
        queryset=Source.objects.all(), to_field_name="slug", label="情報源", method="by_nothing",
        widget=SelectMultiple(attrs={"size": 6}),
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="開始日", widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="終了日", widget=forms.DateInput(attrs={"type": "date"}),
    )
    lang = django_filters.ChoiceFilter(choices=Language.choices, label="原題の言語", empty_label="すべて", widget=Select)
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(), to_field_name="slug", field_name="post__topics", label="投稿のトピック",
        empty_label="すべて", widget=Select,
    )
    sort = django_filters.ChoiceFilter(
        choices=QUOTE_SORT_CHOICES, label="並べ順", method="by_nothing", empty_label=None, widget=Select
    )

    class Meta:
        model = Quote
        fields = ["q", "source", "date_from", "date_to", "lang", "topic", "sort"]
        form = SearchForm

    def chosen_sources(self) -> list[Source]:
        return list(self.form.cleaned_data.get("source") or [])

    def filter_queryset(self, queryset):
        found = super().filter_queryset(queryset)
        if self.outlets:
            found = found.filter(source__in=self.outlets)
        if self.excluded_outlets:
            found = found.exclude(source__in=self.excluded_outlets)
        return found

    @property
    def order(self) -> str:
        return (self.form.cleaned_data.get("sort") if self.is_valid() else None) or "new"


@dataclass
class QuoteRow:
    quote: Quote
    snippets: list[tuple[str, list[tuple[str, bool]]]]  # (where, segments)
    snippets_omitted: bool = False  # an export ran out of its budget before it read this quote's texts


@dataclass
class QuoteSearch(CappedSearch):
    """What a set of GET parameters asks of the quotes (see QuoteFilter)."""

    filterset: QuoteFilter = field(init=False)

    def __post_init__(self):
        self.filterset = QuoteFilter(self.params, queryset=Quote.objects.all())

    @cached_property
    def found_ids(self) -> list[int]:
        if not self.valid:
            return []
        found = self.filterset.qs.order_by()
        lookup = None
        if self.query.clauses or self.query.parts:
            lookup = Lookup(self.query, Scope(parts_named(self.query.parts)), of=QUOTES, budget=self.budget)
            found = lookup.narrow(found)
        if self.filterset.order == "old":
            ordered = found.order_by(F("date").asc(nulls_last=True), "id")
        else:
            ordered = found.order_by(F("date").desc(nulls_last=True), "-id")
        return self.first_ids(ordered.values_list("id", flat=True), lookup)

    @cached_property
    def facet_counts(self) -> dict[str, list[dict]]:
        """Outlets, languages, years and months of the (first `cap`) matching quotes."""
        counts = quote_facet_counts(self.ids)
        names = dict(Language.choices)
        counts["langs"] = [{**row, "name": names.get(row["slug"], row["slug"])} for row in counts["langs"]]
        return counts

    def rows(self, ids: Sequence[int], texts: bool = True) -> list[QuoteRow]:
        """The quotes of these ids (a page's, in its order), with their post, outlet, links and snippets; with
        `texts` False, their bodies and remarks are not read and the snippets are marked omitted."""
        quotes = (
            Quote.objects.filter(id__any=list(ids))
            .select_related("post", "source")
            .defer("post__raw_text", "post__article_body", "post__commentary")
            .prefetch_related(Prefetch("links", queryset=Link.objects.order_by("position")))
        )
        if not texts:
            quotes = quotes.defer("body", "remark")
        found = quotes.in_bulk()
        terms = self.query.highlight_terms
        return [
            QuoteRow(found[pk], quote_snippets(found[pk], terms) if terms and texts else [],
                     snippets_omitted=bool(terms) and not texts)
            for pk in ids if pk in found
        ]


def quote_snippets(quote: Quote, terms, limit: int = SNIPPETS_PER_QUOTE) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Up to `limit` snippets of where `terms` matched in the quote's own text, each with the field's name."""
    found = []
    for name, label in FIELD_LABELS.items():
        for segments in snippets.snippets(getattr(quote, name), terms):
            found.append((label, segments))
            if len(found) == limit:
                return found
    return found
