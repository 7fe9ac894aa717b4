"""Monthly bar charts: laid out here, drawn as SVG by templates/posts/_chart.html (the bars by `bars_svg`).

Positions are percentages of the chart's box, not of a viewBox, so the chart fills the width it is given and
its labels keep their size on a phone. Each month with a count is a link to that month (`href`).

    >>> chart = monthly_chart([(dt.date(2025, 1, 1), 2), (dt.date(2025, 3, 1), 4)], "投稿数")
    >>> [(bar.label, bar.value) for bar in chart.bars]
    [('2025年1月', 2), ('2025年2月', 0), ('2025年3月', 4)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join

SLOTS = 12  # a bar is never wider than a twelfth of the chart: a few months do not stretch into slabs
GAP = 0.2  # of a bar's slot
LOWEST = 1.0  # percent of the height: a month with a count shows, however small beside the peak
TICK_ROOM = 10  # percent of the width a year's label needs on a phone
LAST_TICK = 92  # percent: a year's label starting further right would be cut off at the chart's edge
TICKS = 12  # at most; past 6, every other one is hidden on a phone (static/css/archive.css)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float  # percentages of the chart's width
    width: float
    y: float  # percentages of the chart's height
    height: float
    href: str = ""


@dataclass(frozen=True)
class Tick:
    label: str
    x: float  # percentage of the width
    minor: bool = False


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    top: int  # the value at the top of the chart

    @property
    def drawn(self) -> bool:
        """Whether there is a chart to draw: a single month is said in words, not drawn as one bar."""
        return len(self.bars) > 1

    def bars_svg(self) -> str:
        """The months with a count as SVG links, each a bar and a target the chart's full height (one filter call,
        not a template loop: a chart may have 120 bars)."""
        return format_html_join("", "{}", ((self._bar_svg(bar),) for bar in self.bars if bar.value))

    def _bar_svg(self, bar: Bar):
        name = f"{bar.label}: {bar.value}{self.unit}"
        shapes = format_html(
            '<rect class="target" x="{}%" y="0" width="{}%" height="100%"/>'
            '<rect class="bar" x="{}%" y="{}%" width="{}%" height="{}%"/><title>{}</title>',
            bar.x, bar.width, bar.x, bar.y, bar.width, bar.height, name,
        )
        if not bar.href:
            return format_html('<g role="img" aria-label="{}">{}</g>', name, shapes)
        return format_html('<a href="{}" aria-label="{}">{}</a>', bar.href, name, shapes)

    def table_rows(self) -> str:
        return format_html_join(
            "", "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            ((format_html('<a href="{}">{}</a>', bar.href, bar.label) if bar.href else bar.label, bar.value)
             for bar in self.bars if bar.value),
        )

    @property
    def summary(self) -> str:
        """The chart in words, for readers who do not see it; "most" only where one month or a few have the most."""
        if not self.bars:
            return f"{self.title}: データなし"
        total = sum(bar.value for bar in self.bars)
        if len(self.bars) == 1:
            return f"{self.title}: {self.bars[0].label}に{total}{self.unit}。"
        text = f"{self.title}: {self.bars[0].label}から{self.bars[-1].label}まで合計{total}{self.unit}。"
        peaks = [bar for bar in self.bars if bar.value == self.top]
        if len(peaks) == len(self.bars):
            return f"{text}どの月も{self.top}{self.unit}。"
        if len(peaks) == 1:
            return f"{text}最も多いのは{peaks[0].label}の{self.top}{self.unit}。"
        if len(peaks) <= 3:
            return f"{text}最も多いのは{'、'.join(bar.label for bar in peaks)}の各{self.top}{self.unit}。"
        return f"{text}最も多い月は{self.top}{self.unit}で、{len(peaks)}か月あります。"


def monthly_chart(
    counts: Iterable[tuple[dt.date, int]], title: str, unit: str = "件", href: Callable[[int, int], str] | None = None
) -> Chart | None:
    """One bar per month from the first to the last month in `counts`, each linked to `href(year, month)`; None
    when there are none."""
    by_month = {(month.year, month.month): value for month, value in counts if month}
    if not by_month:
        return None
    months = list(_months(min(by_month), max(by_month)))
    top = max(by_month.values()) or 1
    step = 100 / max(len(months), SLOTS)
    bars, ticks = [], []
    for i, (year, month) in enumerate(months):
        value = by_month.get((year, month), 0)
        height = max(100 * value / top, LOWEST) if value else 0
        bars.append(Bar(
            f"{year}年{month}月", value, _pc(i * step), _pc(step * (1 - GAP)), _pc(100 - height), _pc(height),
            href(year, month) if href and value else "",
        ))
        if month == 1 or i == 0:
            ticks.append((i, str(year)))
    if len(ticks) > 1 and ticks[1][0] * step < TICK_ROOM:  # the first year's label would run into the next
        ticks.pop(0)
    ticks = [tick for tick in ticks if tick[0] * step <= LAST_TICK] or ticks[:1]
    ticks = ticks[:: -(-len(ticks) // TICKS)]  # a long range: every few years only
    return Chart(title, unit, tuple(bars), tuple(
        Tick(label, _pc(i * step), minor=len(ticks) > 6 and n % 2 == 1) for n, (i, label) in enumerate(ticks)
    ), top)


def _pc(value: float) -> float:
    return round(value, 3)


def _months(first: tuple[int, int], last: tuple[int, int]):
    year, month = first
    while (year, month) <= last:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
