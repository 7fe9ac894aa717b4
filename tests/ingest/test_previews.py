"""What an update would change in a stored post, corrections applied as the import applies them (posts/ingest/previews.py)."""

import pytest

from posts.ingest.importing import import_file, import_text, plan_text
from posts.ingest.previews import changes
from posts.models import Quote, Source
from tests.conftest import INSERTED_QUOTE, SEED, edited_seed

pytestmark = pytest.mark.django_db

def planned_changes(post, text: str) -> dict:
    return changes(post, plan_text(text, name=SEED.name).parsed)


def test_the_changes_are_named_part_by_part_and_quote_by_quote():
    post = import_file(SEED).post
    text = edited_seed(
        ("横山氏の記事では", "横山氏の記事(改)では"),
        ("\n\n8/4The Gateway Pundit<", f"\n\n{INSERTED_QUOTE}8/4The Gateway Pundit<"),
        ("周晓辉:FBI在新西兰设办事处 中共为何不满=", "周晓辉:FBI在新西兰设办事处 中共为何不满!="),
    )
    found = planned_changes(post, text)

    assert [part["what"] for part in found["parts"]] == ["論評"]
    assert [(q["status"], q.get("position"), q.get("was")) for q in found["quotes"]] == [
        ("added", 1, None),
        ("changed", 4, 3),
    ]
    assert found["quotes"][0]["name"] == "挿入された見出し" and found["quotes"][0]["outlet"] == "Reuters"
    [title] = found["quotes"][1]["fields"]
    assert title["what"] == "原題"
    assert title["hunks"][0]["lines"][1]["parts"] == [["", "周晓辉:FBI在新西兰设办事处 中共为何不满"], ["changed", "!"]]


def test_what_an_admin_corrected_shows_no_change_while_the_correction_applies():
    post = import_file(SEED).post
    other = Source.objects.create(name="訂正先", slug="teisei")
    post.corrections = {
        "title": "直した題名",
        "published_on": "2025-08-09",
        "quotes": {"2": {"original_title": "69% Agree: ‘RussiaGate’ Requires Accountability", "source": other.pk,
                         "corrected_translated_title": "直した訳題"}},
    }
    post.save()
    import_text(post.raw_text, name=SEED.name, into=post)  # as a re-parse: the corrections applied
    post.refresh_from_db()
    assert Quote.objects.get(post=post, position=2).translated_title == "直した訳題"

    text = edited_seed(("横山氏の記事では", "横山氏の記事(改)では"))
    found = planned_changes(post, text)
    assert [part["what"] for part in found["parts"]] == ["論評"] and found["quotes"] == []

    # The text changes the corrected quote's title: the correction no longer finds it, and the preview says so.
    text = edited_seed(("69% Agree: ‘RussiaGate’", "70% Agree: ‘RussiaGate’"))
    [quote] = planned_changes(post, text)["quotes"]
    assert (quote["status"], quote["position"]) == ("changed", 2)
    assert [field["what"] for field in quote["fields"]] == ["原題", "訳題", "情報源"]
