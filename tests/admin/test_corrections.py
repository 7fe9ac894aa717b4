"""Quote titles corrected on the post's admin page, and kept over re-imports, re-parses and edited files."""

import pytest

from posts.ingest.importing import import_file, import_text, reparse
from posts.models import Post
from tests.admin.test_importer import change, importer  # noqa: F401 - importer is a fixture
from tests.conftest import INSERTED_QUOTE, SEED

pytestmark = pytest.mark.django_db

READ = "乌重大转机!首例落实北约美国协议—荷兰5亿欧元军援乌克兰 首例落实北约美国协议"  # quote 4's title as the seed reads
CORRECTED = "乌重大转机!首例落实北约美国协议—荷兰5亿欧元军援乌克兰"
TRANSLATED = "黒猫郵便:ウクライナに大きな転機"


def titles(post: Post, position: int) -> tuple[str, str]:
    quote = post.quotes.get(position=position)
    return quote.original_title, quote.translated_title


def with_a_quote_inserted(text: str) -> str:
    return text.replace("\n\n8/4The Gateway Pundit<", f"\n\n{INSERTED_QUOTE}8/4The Gateway Pundit<", 1)


def test_an_editor_corrects_a_quotes_titles_and_they_are_searchable_at_once(importer, client):  # noqa: F811
    post = import_file(SEED).post
    assert titles(post, 4)[0] == READ
    url = change(importer, post, **{"quotes-3-original_title": CORRECTED, "quotes-3-translated_title": TRANSLATED})

    assert titles(post, 4) == (CORRECTED, TRANSLATED)
    post.refresh_from_db()
    assert post.corrections["quotes"] == {"4": {"original_title": READ, "corrected_original_title": CORRECTED,
                                                "corrected_translated_title": TRANSLATED}}
    page = importer.get(url).content.decode()
    assert f"引用4の原題: {CORRECTED}" in page and f"引用4の訳題: {TRANSLATED}" in page
    assert f'href="/posts/{post.pk}/?q=' in client.get("/", {"q": "黒猫郵便"}).content.decode()


def test_corrected_quote_titles_survive_the_same_file_a_reparse_and_an_edited_file(importer):  # noqa: F811
    post = import_file(SEED).post
    change(importer, post, **{"quotes-3-original_title": CORRECTED, "quotes-3-translated_title": TRANSLATED})

    assert import_file(SEED).outcome == "unchanged"
    assert titles(post, 4) == (CORRECTED, TRANSLATED)

    assert reparse(post).outcome == "updated"
    assert titles(post, 4) == (CORRECTED, TRANSLATED)

    # The text edited: a quote inserted before the others moves the corrected one to position 5.
    edited = with_a_quote_inserted(SEED.read_text(encoding="utf-8")).replace("横山氏の記事では", "横山氏の記事(改)では")
    assert import_text(edited, name=SEED.name).outcome == "updated"
    assert titles(post, 5) == (CORRECTED, TRANSLATED)
    assert titles(post, 4)[0].startswith("周晓辉")
    post.refresh_from_db()
    assert list(post.corrections["quotes"]) == ["5"]
    assert Post.objects.count() == 1


def test_a_title_corrected_twice_is_still_found_by_the_title_the_text_reads(importer):  # noqa: F811
    post = import_file(SEED).post
    change(importer, post, **{"quotes-3-original_title": "一度目"})
    change(importer, post, **{"quotes-3-original_title": CORRECTED})
    post.refresh_from_db()
    assert post.corrections["quotes"]["4"]["original_title"] == READ

    edited = SEED.read_text(encoding="utf-8").replace("横山氏の記事では", "横山氏の記事(改)では")
    assert import_text(edited, name=SEED.name).outcome == "updated"
    assert titles(post, 4)[0] == CORRECTED


def test_a_quote_moved_by_the_text_is_corrected_again_under_its_new_position(importer):  # noqa: F811
    post = import_file(SEED).post
    change(importer, post, **{"quotes-3-translated_title": TRANSLATED})
    import_text(with_a_quote_inserted(SEED.read_text(encoding="utf-8")), name=SEED.name)

    change(importer, post, **{"quotes-4-original_title": CORRECTED})  # the same quote, now the fifth
    post.refresh_from_db()
    assert post.corrections["quotes"] == {"5": {"original_title": READ, "corrected_translated_title": TRANSLATED,
                                                "corrected_original_title": CORRECTED}}
    assert titles(post, 5) == (CORRECTED, TRANSLATED)


def test_a_correction_no_longer_applies_once_the_text_changes_the_title_it_corrected(importer):  # noqa: F811
    post = import_file(SEED).post
    change(importer, post, **{"quotes-3-original_title": CORRECTED})
    assert titles(post, 4)[0] == CORRECTED
    fixed = SEED.read_text(encoding="utf-8").replace(READ, CORRECTED + " (fixed)")
    import_text(fixed, name=SEED.name)
    assert titles(post, 4)[0] == CORRECTED + " (fixed)"  # the text's own fix, not the correction of the old title



def test_a_corrected_original_title_has_its_own_language(importer):  # noqa: F811
    post = import_file(SEED).post
    assert post.quotes.get(position=4).lang == "zh"
    change(importer, post, **{"quotes-3-original_title": "Ukraine's big turn: the Netherlands sends 500 million euros"})
    quote = post.quotes.get(position=4)
    assert (quote.lang, quote.title_lang) == ("en", "en")


def test_the_reparse_preview_shows_no_change_for_corrected_titles(importer):  # noqa: F811
    from posts.admin.actions import reparse_changes

    post = import_file(SEED).post
    change(importer, post, **{"quotes-3-original_title": CORRECTED, "quotes-3-translated_title": TRANSLATED})
    post.refresh_from_db()
    assert titles(post, 4) == (CORRECTED, TRANSLATED)
    assert reparse_changes(post) == []
