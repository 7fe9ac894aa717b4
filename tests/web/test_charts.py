import datetime as dt

from posts.web.charts import monthly_chart


def test_a_monthly_chart_fills_missing_months_and_scales_to_the_peak():
    chart = monthly_chart([(dt.date(2024, 11, 1), 2), (dt.date(2025, 2, 1), 4)], "投稿数")
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("2024年11月", 2), ("2024年12月", 0), ("2025年1月", 0), ("2025年2月", 4),
    ]
    assert chart.bars[3].height == 142 and chart.bars[0].height == 71 and chart.bars[1].height == 0
    assert [tick.label for tick in chart.ticks] == ["2024", "2025"]
    assert chart.summary == "投稿数: 2024年11月から2025年2月まで合計6件。最も多いのは2025年2月の4件。"


def test_no_data_gives_no_chart():
    assert monthly_chart([], "投稿数") is None
