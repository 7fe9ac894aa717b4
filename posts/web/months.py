"""Time as a way in: a month or a year as the search's date parameters, the year→month facet, the archive's years.

A month is the range `date_from`…`date_to` of its first and last day (posts/web/filters.py), a year that of
1 January and 31 December:

    >>> month_query(QueryDict("q=関税&page=3"), 2025, 8)
    '?q=%E9%96%A2%E7%A8%8E&date_from=2025-08-01&date_to=2025-08-31'
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.http import QueryDict

DATES = ("date_from", "date_to")


@dataclass(frozen=True)
class MonthChoice:
    year: int
    month: int
    count: int
    active: bool
    query: str  # the search filtered to this month; when active, widened to its year

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass(frozen=True)
class YearChoice:
    year: int
    count: int
    active: bool
    query: str  # the search filtered to this year; when active, without dates
    months: tuple[MonthChoice, ...] = ()  # listed only for the year the counted posts are all in


@dataclass(frozen=True)
class ArchiveYear:
    year: int
    count: int
    months: tuple[tuple[int, int], ...]  # (month, count) of the months with posts


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month; ValueError for a month that is not one."""
    first = dt.date(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def dated(params: QueryDict, first: dt.date | None, last: dt.date | None) -> str:
    """`params` with the date range `first`…`last` (none for None), from the first page."""
    changed = params.copy()
    for name, value in zip(DATES, (first, last)):
        changed.pop(name, None)
        if value:
            changed[name] = value.isoformat()
    changed.pop("page", None)
    return f"?{changed.urlencode()}"


def month_query(params: QueryDict, year: int, month: int) -> str:
    return dated(params, *month_range(year, month))


def year_query(params: QueryDict, year: int) -> str:
    return dated(params, *year_range(year))


def chosen(params: QueryDict, dates: tuple[str, str] = DATES) -> tuple[int, int | None] | None:
    """The year (year, None) or month (year, month) the date parameters are exactly, or None."""
    raw = [params.get(name, "") for name in dates]
    try:
        first, last = (dt.date.fromisoformat(value) for value in raw)
    except ValueError:
        return None
    if [first.isoformat(), last.isoformat()] != raw:  # another spelling of a date: not one of these links
        return None
    if (first, last) == year_range(first.year):
        return first.year, None
    if first.day == 1 and (first, last) == month_range(first.year, first.month):
        return first.year, first.month
    return None


def range_label(params: QueryDict, dates: tuple[str, str] = DATES) -> str:
    """The date parameters in words: 「2025年」, 「2025年8月」, or 「2025-08-03 〜 …」; "" when there are none."""
    match chosen(params, dates):
        case (year, None):
            return f"{year}年"
        case (year, month):
            return f"{year}年{month}月"
    start, end = (params.get(name, "") for name in dates)
    return f"{start or '…'} 〜 {end or '…'}" if start or end else ""


def year_choices(params: QueryDict, years: list[dict], months: list[dict], counted: str = "posts") -> list[YearChoice]:
    """The years facet ({year, count}) as links to each year; when the counted posts are all in one year, that
    year lists its months ({month: first day, count}) as links to each month. A chosen year or month links to
    the search without it: the year to every date, the month to its year."""
    picked = chosen(params)
    found = []
    for row in years:
        year = row["year"]
        active = picked == (year, None)
        listed = ()
        if len(years) == 1:
            listed = tuple(
                MonthChoice(
                    year, m.month, count, picked == (year, m.month),
                    year_query(params, year) if picked == (year, m.month) else month_query(params, year, m.month),
                )
                for m, count in ((month["month"], month[counted]) for month in months)
                if m.year == year
            )
        query = dated(params, None, None) if active else year_query(params, year)
        found.append(YearChoice(year, row[counted], active, query, listed))
    return found


def archive_years(months: list[tuple[dt.date, int]]) -> list[ArchiveYear]:
    """The archive's years, newest first, each with its count and its months with posts (oldest first), from
    (first day of a month, count) pairs."""
    by_year: dict[int, list[tuple[int, int]]] = {}
    for month, count in sorted(months):
        if count:
            by_year.setdefault(month.year, []).append((month.month, count))
    return [
        ArchiveYear(year, sum(count for _, count in listed), tuple(listed))
        for year, listed in sorted(by_year.items(), reverse=True)
    ]
