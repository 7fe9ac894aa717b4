"""A post's corrections of its quotes (posts/models/archive.py): which quote each is, as the text reads it."""

import pytest

from posts.models import Post, Quote, Source

pytestmark = pytest.mark.django_db


def read(*titles: str) -> list[Quote]:
    """Quotes as the import reads them from a text, not stored yet."""
    return [Quote(position=n, original_title=title, translated_title=f"{title}の訳") for n, title in enumerate(titles, start=1)]


def test_a_correction_is_its_positions_quote_while_the_title_reads_the_same():
    post = Post(corrections={"quotes": {"2": {"original_title": "B", "corrected_translated_title": "直したB"}}})
    assert post.quote_corrections(["A", "B", "C"]) == [None, {"original_title": "B", "corrected_translated_title": "直したB"}, None]


def test_a_correction_follows_its_quote_when_the_text_moves_it_and_is_keyed_there():
    post = Post(corrections={"quotes": {"2": {"original_title": "B", "corrected_translated_title": "直したB"}}})
    quotes = read("New", "A", "B")
    assert post.apply_quote_corrections(quotes) is True  # moved: to be saved
    assert [q.translated_title for q in quotes] == ["Newの訳", "Aの訳", "直したB"]
    assert post.corrections["quotes"] == {"3": {"original_title": "B", "corrected_translated_title": "直したB"}}
    assert post.apply_quote_corrections(read("New", "A", "B")) is False  # in place now


def test_a_correction_whose_quote_is_gone_is_kept_but_applies_to_no_other():
    post = Post(corrections={"quotes": {"2": {"original_title": "B", "corrected_original_title": "Bee"}}})
    quotes = read("A", "C")
    assert post.apply_quote_corrections(quotes) is False
    assert [q.original_title for q in quotes] == ["A", "C"]
    assert post.corrections["quotes"] == {"2": {"original_title": "B", "corrected_original_title": "Bee"}}


def test_one_correction_a_quote_even_when_two_read_the_same_title():
    post = Post(corrections={"quotes": {"1": {"original_title": "A", "corrected_translated_title": "一"},
                                        "3": {"original_title": "A", "corrected_translated_title": "三"}}})
    quotes = read("A", "X", "A")
    post.apply_quote_corrections(quotes)
    assert [q.translated_title for q in quotes] == ["一", "Xの訳", "三"]


def test_a_corrected_title_is_recorded_under_the_title_the_text_reads():
    post = Post(corrections={})
    quote = Quote(position=2, original_title="Trump says", translated_title="トランプ氏")  # as the admin set it
    post.record_quote_correction(quote, ["original_title"], read_titles=["A", "Trmp says"])
    assert post.corrections["quotes"] == {"2": {"original_title": "Trmp says", "corrected_original_title": "Trump says"}}

    # Corrected again, with its outlet: still found by the title the text reads.
    source = Source.objects.create(name="訂正先", slug="teisei")
    quote = Quote(position=2, original_title="Trump said", translated_title="トランプ氏は言った", source=source)
    post.record_quote_correction(quote, ["original_title", "translated_title", "source"], read_titles=["A", "Trmp says"])
    assert post.corrections["quotes"] == {"2": {
        "original_title": "Trmp says", "corrected_original_title": "Trump said",
        "corrected_translated_title": "トランプ氏は言った", "source": source.pk,
    }}
    quotes = read("A", "Trmp says")
    post.apply_quote_corrections(quotes)
    assert (quotes[1].original_title, quotes[1].translated_title, quotes[1].source) == ("Trump said", "トランプ氏は言った", source)


def test_an_outlet_deleted_since_is_no_correction():
    post = Post(corrections={"quotes": {"1": {"original_title": "A", "source": 999_999, "corrected_translated_title": "訳"}}})
    reuters = Source.objects.create(name="Reuters", slug="reuters")
    quotes = read("A")
    quotes[0].source = reuters
    post.apply_quote_corrections(quotes)
    assert (quotes[0].source, quotes[0].translated_title) == (reuters, "訳")


def test_the_corrections_are_listed_in_words():
    post = Post(corrections={"quotes": {"2": {"original_title": "B", "corrected_original_title": "Bee",
                                              "corrected_translated_title": ""}}})
    assert post.correction_lines() == ["引用2の原題: Bee", "引用2の訳題: (なし)"]
