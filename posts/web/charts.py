"""Monthly bar charts: laid out here, drawn as SVG by templates/posts/_chart.html (the bars by `bars_svg`).

    >>> chart = monthly_chart([(dt.date(2025, 1, 1), 2), (dt.date(2025, 3, 1), 4)], "投稿数")
    >>> [(bar.label, bar.value) for bar in chart.bars]
    [('2025年1月', 2), ('2025年2月', 0), ('2025年3月', 4)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html_join

WIDTH, HEIGHT, AXIS = 720, 160, 18
MAX_STEP = 36  # a few months do not stretch into slabs


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    label: str
    x: float


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT

    def bars_svg(self) -> str:
        """The bars as SVG elements (one filter call, not a template loop: a chart may have 120 bars)."""
        return format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}{}</title></rect>',
            ((bar.x, bar.y, bar.width, bar.height, bar.label, bar.value, self.unit) for bar in self.bars),
        )

    def table_rows(self) -> str:
        return format_html_join(
            "", '<tr><th scope="row">{}</th><td>{}</td></tr>', ((bar.label, bar.value) for bar in self.bars if bar.value)
        )

    @property
    def summary(self) -> str:
        """The chart in words, for readers who do not see it."""
        if not self.bars:
            return f"{self.title}: データなし"
        peak = max(self.bars, key=lambda bar: bar.value)
        total = sum(bar.value for bar in self.bars)
        return (
            f"{self.title}: {self.bars[0].label}から{self.bars[-1].label}まで合計{total}{self.unit}。"
            f"最も多いのは{peak.label}の{peak.value}{self.unit}。"
        )


def monthly_chart(counts: Iterable[tuple[dt.date, int]], title: str, unit: str = "件") -> Chart | None:
    """One bar per month from the first to the last month in `counts`; None when there are none."""
    by_month = {(month.year, month.month): value for month, value in counts if month}
    if not by_month:
        return None
    months = list(_months(min(by_month), max(by_month)))
    peak = max(by_month.values()) or 1
    step = min(WIDTH / len(months), MAX_STEP)
    plot = HEIGHT - AXIS
    bars, ticks = [], []
    for i, (year, month) in enumerate(months):
        value = by_month.get((year, month), 0)
        height = plot * value / peak
        bars.append(Bar(f"{year}年{month}月", value, round(i * step, 2), round(plot - height, 2), round(max(step - 1, 0.5), 2), round(height, 2)))
        if month == 1 or i == 0:
            ticks.append(Tick(f"{year}", round(i * step, 2)))
    if len(ticks) > 12:  # a long range: label every few years only
        every = -(-len(ticks) // 12)
        ticks = ticks[::every]
    return Chart(title, unit, tuple(bars), tuple(ticks))


def _months(first: tuple[int, int], last: tuple[int, int]):
    year, month = first
    while (year, month) <= last:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
