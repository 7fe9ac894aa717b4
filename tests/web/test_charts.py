import datetime as dt

from posts.web.charts import monthly_chart


def months(*counts: tuple[int, int, int]) -> list[tuple[dt.date, int]]:
    return [(dt.date(year, month, 1), count) for year, month, count in counts]


def test_a_monthly_chart_fills_missing_months_and_scales_to_the_peak():
    chart = monthly_chart(months((2024, 11, 2), (2025, 2, 4)), "投稿数")
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("2024年11月", 2), ("2024年12月", 0), ("2025年1月", 0), ("2025年2月", 4),
    ]
    assert chart.top == 4
    assert [(bar.y, bar.height) for bar in chart.bars] == [(50, 50), (100, 0), (100, 0), (0, 100)]
    assert [tick.label for tick in chart.ticks] == ["2024", "2025"]
    assert chart.summary == "投稿数: 2024年11月から2025年2月まで合計6件。最も多いのは2025年2月の4件。"


def test_bars_are_laid_out_in_percentages_of_the_box_and_never_wider_than_a_twelfth():
    few = monthly_chart(months((2025, 7, 1), (2025, 8, 3)), "投稿数")
    assert [(bar.x, bar.width) for bar in few.bars] == [(0, 6.667), (8.333, 6.667)]  # not two slabs
    many = monthly_chart(months((2016, 1, 5), (2025, 12, 9)), "投稿数")
    assert len(many.bars) == 120 and many.bars[-1].x + many.bars[-1].width <= 100
    assert many.bars[-1].x == 99.167


def test_a_small_month_beside_a_large_peak_still_shows():
    chart = monthly_chart(months((2025, 1, 1), (2025, 2, 1000)), "投稿数")
    assert chart.bars[0].height == 1.0 and chart.bars[0].y == 99.0


def test_each_month_with_a_count_is_a_link_named_by_its_month_and_count():
    chart = monthly_chart(months((2025, 6, 12), (2025, 8, 3)), "投稿数", href=lambda y, m: f"/?m={y}-{m}")
    svg = chart.bars_svg()
    assert '<a href="/?m=2025-6" aria-label="2025年6月: 12件">' in svg
    assert '<a href="/?m=2025-8" aria-label="2025年8月: 3件">' in svg
    assert "2025-7" not in svg and "2025年7月" not in svg  # an empty month is no link to nothing
    assert '<rect class="target" x="0.0%" y="0" width="6.667%" height="100%"/>' in svg  # clickable the full height
    assert '<th scope="row"><a href="/?m=2025-6">2025年6月</a></th><td>12</td>' in chart.table_rows()


def test_bar_names_escape_what_they_are_given():
    chart = monthly_chart(months((2025, 6, 1), (2025, 8, 1)), "投稿数", unit="<b>", href=lambda y, m: '/?a="x"')
    assert 'aria-label="2025年6月: 1&lt;b&gt;"' in chart.bars_svg() and 'href="/?a=&quot;x&quot;"' in chart.bars_svg()


def test_the_caption_says_most_only_when_it_is_true():
    def summary(*counts):
        return monthly_chart(months(*counts), "投稿数").summary

    assert summary((2025, 1, 1), (2025, 2, 1), (2025, 3, 1)).endswith("合計3件。どの月も1件。")
    assert summary((2025, 1, 2), (2025, 2, 1), (2025, 3, 2)).endswith("最も多いのは2025年1月、2025年3月の各2件。")
    assert summary((2025, 1, 1), (2025, 3, 1), (2025, 5, 1), (2025, 7, 1)).endswith("最も多い月は1件で、4か月あります。")
    assert "最も" not in summary((2025, 1, 1), (2025, 2, 1))


def test_a_single_month_is_said_in_words_not_drawn_as_one_giant_bar():
    chart = monthly_chart(months((2025, 8, 1)), "投稿数")
    assert not chart.drawn
    assert chart.summary == "投稿数: 2025年8月に1件。"
    assert monthly_chart(months((2025, 7, 1), (2025, 8, 1)), "投稿数").drawn


def test_year_labels_do_not_collide_at_the_edges_and_thin_out_on_a_phone():
    turn = monthly_chart(months((2024, 12, 1), (2025, 3, 1)), "投稿数")
    assert [(tick.label, tick.x) for tick in turn.ticks] == [("2025", 8.333)]  # not "2024" a bar before it
    late = monthly_chart(months((2016, 3, 1), (2025, 2, 1)), "投稿数")
    # 2016's label would run into 2017's (ten months later), and 2025's would start at the right edge and be cut off.
    assert [tick.label for tick in late.ticks] == [str(year) for year in range(2017, 2025)]
    assert [tick.minor for tick in late.ticks] == [False, True] * 4


def test_no_data_gives_no_chart():
    assert monthly_chart([], "投稿数") is None
