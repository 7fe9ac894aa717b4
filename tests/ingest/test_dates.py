import datetime as dt

from posts.ingest import dates
from posts.ingest.dates import MonthDay


def test_it_reads_the_time_encoded_in_an_x_status_id():
    assert dates.status_id("https://twitter.com/i/status/1952177345420243283") == 1952177345420243283
    assert dates.status_id("https://x.com/someone/status/1952174515238084971?s=20") == 1952174515238084971
    assert dates.status_id("https://www.reuters.com/status/123") is None
    when = dates.status_time(1952177345420243283)
    assert when == dt.datetime(2025, 8, 4, 1, 18, 43, 506000, tzinfo=dt.timezone.utc)


def test_pre_snowflake_status_ids_have_no_time():
    assert dates.status_time(20) is None
    assert dates.status_time(29_000_000_000) is None


def test_it_finds_dates_in_url_paths():
    urls = [
        "https://www.thegatewaypundit.com/2025/08/cia-director/",
        "https://www.aboluowang.com/2025/0805/2257826.html",
        "https://example.com/news/2025-07-22-title",
        "https://example.com/2024/12/31/end",
        "https://example.com/2025/13/99/not-a-date",
        "https://example.com/article/123456",
    ]
    assert dates.url_dates(urls) == [dt.date(2025, 8, 1), dt.date(2025, 8, 5), dt.date(2025, 7, 22), dt.date(2024, 12, 31)]


def test_the_evidence_follows_its_order():
    today = dt.date(2026, 1, 1)
    status = "https://x.com/i/status/1952177345420243283"
    assert dates.year_evidence([MonthDay(8, 4, 2019)], ["https://a.com/2025/08/04/x"], today).source == "explicit year"
    assert dates.year_evidence([MonthDay(8, 4)], [status, "https://a.com/2021/08/04/x"], today).anchor == dt.date(2021, 8, 4)
    assert dates.year_evidence([MonthDay(8, 4)], [status], today).source == "X status ids"
    assert dates.year_evidence([MonthDay(8, 4)], [], today) == dates.YearEvidence(today, "import date")


def test_a_month_day_takes_the_year_nearest_the_anchor():
    later = dt.date(2030, 1, 1)
    assert dates.resolve(MonthDay(12, 30), dt.date(2026, 1, 2), later) == dt.date(2025, 12, 30)
    assert dates.resolve(MonthDay(1, 2), dt.date(2025, 12, 30), later) == dt.date(2026, 1, 2)
    assert dates.resolve(MonthDay(2, 29), dt.date(2026, 3, 1), dt.date(2026, 3, 1)) == dt.date(2024, 2, 29)
    assert dates.resolve(MonthDay(2, 30), dt.date(2025, 3, 1), later) is None
    assert dates.resolve(MonthDay(8, 4, 2019), dt.date(2025, 3, 1), later) == dt.date(2019, 8, 4)


def test_a_month_day_avoids_dates_after_the_import_date():
    today = dt.date(2026, 3, 1)
    assert dates.resolve(MonthDay(8, 4), today, today) == dt.date(2025, 8, 4)
    assert dates.resolve(MonthDay(3, 1), today, today) == dt.date(2026, 3, 1)


def test_evidence_from_after_the_import_date_is_ignored():
    today = dt.date(2026, 3, 1)
    future = ["https://a.com/2099/01/01/x", "https://x.com/i/status/99999999999999999999"]
    assert dates.year_evidence([MonthDay(8, 4)], future, today) == dates.YearEvidence(today, "import date")
    assert dates.year_evidence([MonthDay(1, 1, 2099)], ["https://a.com/2025/08/04/x"], today).source == "dates in URLs"
