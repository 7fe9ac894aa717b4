"""What the facets and the active filters link to: each value adds itself to the search or takes itself out,
and each active filter is a chip that removes it. Plain links: no JavaScript is needed."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from posts.web.months import DATES, range_label


@dataclass(frozen=True)
class Choice:
    """A facet's value with its count: `query` is the search with it added (or, when active, taken out)."""

    slug: str
    name: str
    count: int
    active: bool
    query: str


@dataclass(frozen=True)
class Chip:
    """An active filter, and the search without it."""

    label: str
    query: str


def toggled(params: QueryDict, name: str, value: str) -> str:
    """`params` with `value` added to the values of `name`, or taken out if there; from the first page."""
    changed = params.copy()
    values = changed.getlist(name)
    changed.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    changed.pop("page", None)
    return f"?{changed.urlencode()}"


def without(params: QueryDict, *names: str) -> str:
    changed = params.copy()
    for name in (*names, "page"):
        changed.pop(name, None)
    return f"?{changed.urlencode()}" if changed else "?"


def choices(params: QueryDict, name: str, rows: list[dict], counted: str = "posts") -> list[Choice]:
    """A facet's rows ({slug, name, count}) as links that add or take out their value of `name`."""
    chosen = set(params.getlist(name))
    return [
        Choice(row["slug"], row["name"], row[counted], row["slug"] in chosen, toggled(params, name, row["slug"]))
        for row in rows
    ]


def chips(params: QueryDict, names: dict[str, dict[str, str]], dates: tuple[str, str] = DATES) -> list[Chip]:
    """A chip for each value of the filters in `names` ({parameter: {value: label}}) and for the date range."""
    found = []
    for name, labels in names.items():
        for value in params.getlist(name):
            if value in labels:
                found.append(Chip(labels[value], toggled(params, name, value)))
    if label := range_label(params, dates):
        found.append(Chip(label, without(params, *dates)))
    return found
