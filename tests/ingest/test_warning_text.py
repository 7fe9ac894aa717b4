"""Parse warnings are codes with values, read by people in Japanese (posts/ingest/warning_text.py)."""

import datetime as dt
import re

import pytest
from django.utils import translation

from posts.ingest.parsed import MESSAGES, ParseWarning
from posts.ingest.parser import parse_post
from posts.ingest.warning_text import warning_json, warning_text

TODAY = dt.date(2025, 8, 10)
HEAD = "『題』(8/4日経 山田)について\n"
LINK = "https://example.org/2025/08/03/a\n"

# One post for each code, or near enough: together they make the parser say everything it can say.
SAMPLES = [
    "",
    "8/4Reuters<Tariffs rise=関税>\n本文\n" + LINK,
    "題名だけの行\n本文",
    "『題』』(8/4日経 山田)について\n本文",
    "『』(8/4日経 山田)について\n本文",
    "『題』(日経 山田)について\n本文",
    "『題』(8/4)について\n本文",
    "『題』(8/4 " + "あ" * 70 + " 山田)について\n本文",
    "『題』(8/4Foo Bar 山田)について\n本文",
    "『題』(8/4Foo)について\n本文",
    HEAD + "8/3<Title=題>\n本文\n" + LINK,
    HEAD + "8/3Reuters<Title=題\n本文\n" + LINK,
    HEAD + "8/3Reuters<Ti<tle=題>\n本文\n" + LINK,
    HEAD + "8/3Reuters<A=B=日本語の題>\n本文\n" + LINK,
    HEAD + "8/3Reuters<Title=題>\n本文\n" + LINK + "\n記事\n\n8/2Reuters<Old=古い>\n記事の本文",
    HEAD + "8/3Reuters Title=題\n" + LINK,
    HEAD + "8/3Reuters<Title=題>\n本文\n8/2Foo<注=注意>\n本文\n" + LINK,
    HEAD + "8/3Reuters<Title=題>\n本文\n8/2Fox News<B=題2>\n本文\n" + LINK,
    HEAD + "8/3Reuters<Title=題>\n本文だけ\n",
    HEAD + "前書き\n8/3Reuters<Title=題>\n本文\n" + LINK,
    HEAD + "8/3Daily Signal<Title=題>\n本文\nhttps://www.foxnews.com/2025/08/03/a\n",
    HEAD + "本文",
    "『題』(2/30日経 山田)について\n本文",
    "『題』(2025/12/30日経 山田)について\n本文",
]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def emitted() -> list[ParseWarning]:
    return [warning for text in SAMPLES for warning in parse_post(text, today=TODAY).warnings]


def test_the_parser_says_every_code_it_has_and_no_other():
    assert {warning.code for warning in emitted()} == set(MESSAGES)


def test_every_code_has_a_japanese_message_with_the_same_values():
    with translation.override("ja"):
        for code, english in MESSAGES.items():
            japanese = translation.gettext(english)
            assert japanese != english and JAPANESE.search(japanese), code
            assert sorted(PLACEHOLDER.findall(japanese)) == sorted(PLACEHOLDER.findall(english)), code


def test_every_warning_the_parser_writes_reads_in_japanese_without_english_words():
    for warning in emitted():
        shown = warning_text(warning.to_dict())
        values = " ".join(value for _, value in warning.params)
        english = [word for word in re.findall(r"[a-z]{2,}", shown) if word not in values]  # URL and <> are fine
        assert JAPANESE.search(shown) and not english, (warning, shown)


def test_a_warning_is_stored_as_its_code_line_and_values():
    post = parse_post("『題』(8/4Foo Bar 山田)について\n本文", today=TODAY)
    stored = post.warnings[0].to_dict()
    assert stored == {"code": "unknown_title_outlet", "line": 1, "outlet": "Foo Bar", "author": "山田"}
    assert ParseWarning.from_dict(stored) == post.warnings[0]
    assert str(post.warnings[0]) == "line 1: unknown outlet in the title line: took “Foo Bar” as the outlet, “山田” as the author"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ({"code": "not_a_date", "line": 3, "written": "2/30"}, "3行目: 日付として読めません: 2/30"),
        ({"code": "no_year", "line": None, "today": "2025-08-10"}, "投稿に年がありません: 日付は、取り込んだ日(2025-08-10)以前で最も近いものとしました"),
        ({"code": "unknown_title_outlet", "line": 1, "outlet": "Foo", "author": "山田"},
         "1行目: 題名の行の掲載元が分かりません: 「Foo」を掲載元、「山田」を筆者としました"),
    ],
)
def test_a_stored_warning_reads_in_japanese(stored, shown):
    assert warning_text(stored) == shown


def test_a_warning_kept_as_text_is_shown_as_it_is_marked_as_an_earlier_form():
    assert warning_text("line 9: an old sentence") == "(以前の形式の注意) line 9: an old sentence"
    assert warning_text({"code": "text", "line": 9, "text": "an old sentence"}) == "9行目: (以前の形式の注意) an old sentence"
    # A code this version does not know (a later parser's), or values its message does not name.
    assert warning_text({"code": "new_code", "line": 2, "x": "y"}) == "2行目: (以前の形式の注意) new_code x=y"
    assert warning_text({"code": "not_a_date", "line": 2}) == "2行目: (以前の形式の注意) not_a_date"


def test_the_json_form_adds_the_message_to_the_code_and_values():
    assert warning_json({"code": "not_a_date", "line": 3, "written": "2/30"}) == {
        "code": "not_a_date", "line": 3, "written": "2/30", "message": "3行目: 日付として読めません: 2/30",
    }
    assert warning_json("old") == {"code": "text", "line": None, "text": "old", "message": "(以前の形式の注意) old"}
