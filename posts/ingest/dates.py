"""Dates in posts: month/day headers, dates in URLs, X status ids. Pure Python.

Headers say `8/4` without a year. The year comes from the best evidence in the
post, in this order: an explicit year in a header, dates in the post's URLs,
the time encoded in X/Twitter status ids, and only then the import date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

TWITTER_EPOCH_MS = 1288834974657
FUTURE_SLACK = dt.timedelta(days=1)  # time zones: a post may be dated tomorrow, not later
# Sequential ids issued before snowflake ids (November 2010) stayed below this.
FIRST_SNOWFLAKE_ID = 30_000_000_000

_STATUS_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter\.com|x\.com)/[^/?#\s]+(?:/web)?/status(?:es)?/(\d{1,20})",
    re.IGNORECASE,
)
# Most specific first; each match gives (year, month, day or None).
_URL_DATE_RES = (
    re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)(?=[/._-]|$)"),
    re.compile(r"/((?:19|20)\d\d)/(\d\d)(\d\d)(?=[/._-]|$)"),
    re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)"),
    re.compile(r"/((?:19|20)\d\d)/(\d\d?)(?=/)"),
)


@dataclass(frozen=True)
class MonthDay:
    """A date as written in a header: the year is often missing."""

    month: int
    day: int
    year: int | None = None
    written: str = field(default="", compare=False)  # as it stood in the text, for warnings


def iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def status_id(url: str) -> int | None:
    """The id of an X/Twitter status URL, or None."""
    match = _STATUS_RE.match(url.strip())
    return int(match.group(1)) if match else None


def status_time(status: int) -> dt.datetime | None:
    """When a snowflake status id was issued (UTC); None for pre-snowflake ids."""
    if status < FIRST_SNOWFLAKE_ID:
        return None
    try:
        return dt.datetime.fromtimestamp(((status >> 22) + TWITTER_EPOCH_MS) / 1000, tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def url_dates(urls: Iterable[str]) -> list[dt.date]:
    """Dates found in URL paths; a year/month alone counts as the 1st of the month."""
    found = []
    for url in urls:
        for pattern in _URL_DATE_RES:
            match = pattern.search(url)
            if match:
                year, month, day = match.group(1), match.group(2), match.group(3) if pattern.groups > 2 else "1"
                date = safe_date(int(year), int(month), int(day))
                if date:
                    found.append(date)
                    break
    return found


def status_dates(urls: Iterable[str]) -> list[dt.date]:
    dates = []
    for url in urls:
        status = status_id(url)
        when = status_time(status) if status is not None else None
        if when:
            dates.append(when.date())
    return dates


@dataclass(frozen=True)
class YearEvidence:
    anchor: dt.date
    source: str  # "explicit year", "dates in URLs", "X status ids" or "import date"


def year_evidence(headers: Iterable[MonthDay], urls: list[str], today: dt.date) -> YearEvidence:
    """The date the post's month/day headers are read near, from the best evidence it has.

    Evidence dated after `today` (the import date, give or take a day) is a typo
    or a guess gone wrong, and is ignored.
    """
    latest = today + FUTURE_SLACK
    explicit = [safe_date(h.year, h.month, h.day) for h in headers if h.year is not None]
    for source, found in (
        ("explicit year", explicit),
        ("dates in URLs", url_dates(urls)),
        ("X status ids", status_dates(urls)),
    ):
        found = [d for d in found if d and d <= latest]
        if found:
            return YearEvidence(max(found), source)
    return YearEvidence(today, "import date")


def resolve(written: MonthDay, anchor: dt.date, not_after: dt.date) -> dt.date | None:
    """The date meant by `written`: its own year, else the year that puts it nearest `anchor`.

    Dates after `not_after` (the import date) are avoided when another year fits.
    """
    if written.year is not None:
        return safe_date(written.year, written.month, written.day)
    candidates = [safe_date(year, written.month, written.day) for year in range(anchor.year - 4, anchor.year + 5)]
    candidates = [d for d in candidates if d]
    past = [d for d in candidates if d <= not_after] or candidates
    return min(past, key=lambda d: abs(d - anchor), default=None)
