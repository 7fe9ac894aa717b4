"""The outlets as a table (/sources/, sources.json): filtered by language, kind and name, sorted by name,
quote count, first or last quote, or latency (how many days their quotes took to reach a post)."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, F, Func, Max, Min, Q, TextField, Value

from posts.models import Language, Latency, Source
from posts.web.filters import Select


@dataclass
class SourceRow:
    source: Source  # with quote_count, first_quoted and last_quoted
    latency: Latency | None



def _by_date(field: str, newest_first: bool = False):
    def key(row: SourceRow):
        day = getattr(row.source, field)
        ordinal = day.toordinal() if day else 0
        return (day is None, -ordinal if newest_first else ordinal, row.source.name)

    return key


# Each order: its label, and its key for sorted(); outlets without the value come last, then by name.
SORTS = {
    "quotes": ("引用数の多い順", lambda row: (-row.source.quote_count, row.source.name)),
    "name": ("名前順", lambda row: row.source.name.casefold()),
    "first": ("最初の引用が古い順", _by_date("first_quoted")),
    "last": ("最後の引用が新しい順", _by_date("last_quoted", newest_first=True)),
    "latency": ("投稿までの日数が短い順", lambda row: (row.latency is None, row.latency.median if row.latency else 0, row.source.name)),
}


class SourceFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="名前", method="by_name", widget=forms.TextInput(attrs={"type": "search"}))
    language = django_filters.ChoiceFilter(choices=Language.choices, label="言語", empty_label="すべて", widget=Select)
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices, label="種類", empty_label="すべて", widget=Select)
    sort = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in SORTS.items()], label="並べ順", method="by_nothing",
        empty_label=None, widget=Select,
    )

    class Meta:
        model = Source
        fields = ["name", "language", "kind", "sort"]

    def by_name(self, queryset, name, value):
        """A part of its name or of another spelling, in any case."""
        spellings = Func(F("aliases"), Value(" "), function="array_to_string", output_field=TextField())
        return queryset.alias(spellings=spellings).filter(Q(name__icontains=value) | Q(spellings__icontains=value))

    def by_nothing(self, queryset, name, value):
        return queryset

    @property
    def order(self) -> str:
        return (self.form.cleaned_data.get("sort") if self.is_valid() else None) or "quotes"


def source_rows(params) -> tuple[SourceFilter, list[SourceRow]]:
    """The outlets these GET parameters ask for, with their counts, dates and latency, in the order asked for."""
    counted = Source.objects.annotate(
        quote_count=Count("quotes"), first_quoted=Min("quotes__date"), last_quoted=Max("quotes__date")
    )
    filterset = SourceFilter(params, queryset=counted)
    if not filterset.is_valid():
        return filterset, []
    sources = list(filterset.qs)
    latencies = Source.objects.filter(id__in=[source.pk for source in sources]).latencies()
    rows = [SourceRow(source, latencies.get(source.pk)) for source in sources]
    return filterset, sorted(rows, key=SORTS[filterset.order][1])


def source_summary(row: SourceRow) -> dict:
    """An outlet as sources.json gives it."""
    source, latency = row.source, row.latency
    return {
        "name": source.name,
        "slug": source.slug,
        "quotes": source.quote_count,
        "first_quoted": source.first_quoted.isoformat() if source.first_quoted else None,
        "last_quoted": source.last_quoted.isoformat() if source.last_quoted else None,
        "language": source.language,
        "region": source.region,
        "kind": source.kind,
        "aliases": source.aliases,
        "domains": source.domains,
        "latency_days": {"median": latency.median, "p25": latency.low, "p75": latency.high, "quotes": latency.quotes}
        if latency else None,
    }
