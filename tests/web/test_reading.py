"""The post page made for reading (posts/web/reading.py, templates/posts/post_detail.html): its contents box, quote
bodies folded after their lead, the reprinted article marked with its source, `lang` on foreign titles."""

import re

import pytest

from posts.ingest.importing import import_file, import_text
from posts.web.reading import fold, folded
from tests.conftest import SEED, post_quoting

LONG = "長い引用の本文です。" * 60  # 600 characters


# Folding (pure) ---------------------------------------------------------------------------------


def test_a_short_body_is_not_folded():
    body = folded("短い本文。", [])
    assert not body.folded and body.lead == [("短い本文。", False)]


def test_a_long_body_keeps_its_lead_and_folds_the_rest_at_a_sentence_end():
    body = folded(LONG, [])
    lead = "".join(text for text, _ in body.lead)
    assert body.folded and lead.endswith("。") and 160 <= len(lead) < 200
    assert lead + "".join(text for text, _ in body.rest) == LONG and body.rest_chars == len(LONG) - len(lead)


def test_a_match_in_the_folded_part_opens_it_and_one_in_the_lead_does_not():
    text = "前置き。" * 50 + "関税" + "あと。" * 100
    assert folded(text, ["関税"]).rest_matched
    assert not folded("関税" + "前置き。" * 150, ["関税"]).rest_matched


def test_the_fold_never_cuts_a_match():
    # No sentence ends: the fold falls at twice the lead (10), inside 停戦 (9 to 11), which goes whole to the rest.
    lead, rest = fold([("あ" * 9, False), ("停戦", True), ("い" * 20, False)], lead_chars=5)
    assert lead == [("あ" * 9, False)] and rest[0] == ("停戦", True)
    assert "".join(t for t, _ in lead + rest) == "あ" * 9 + "停戦" + "い" * 20


# The page ---------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed():
    return import_file(SEED).post


def test_the_contents_box_links_every_quote_the_commentary_and_the_article(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()
    contents = html[html.index('<nav class="contents"'):html.index("</nav>", html.index('<nav class="contents"'))]
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert targets == ["quotes", *(f"quote-{n}" for n in range(1, 6)), "commentary", "article"]
    for target in targets:
        assert f'id="{target}"' in html
    assert "The Gateway Pundit" in contents and "阿波羅新聞網" in contents
    assert html.count('href="#contents"') == 3  # back from quotes, commentary and article


def test_the_commentary_comes_before_the_long_quote_bodies_end(client):
    post = import_text(post_quoting("長い引用", [("Reuters", LONG), ("Reuters", LONG)], commentary="私の論評。"),
                       name="long.txt").post
    html = client.get(post.get_absolute_url()).content.decode()
    assert html.count('<details class="more">') == 2
    assert html.count("続きを読む(残り") == 2


def test_a_search_that_matches_inside_a_folded_body_opens_it(client):
    body = "前置きの文。" * 40 + "核心の語句がここにある。" + "あとがき。" * 40
    post = import_text(post_quoting("折り畳み", [("Reuters", body)]), name="fold.txt").post
    closed = client.get(post.get_absolute_url()).content.decode()
    opened = client.get(post.get_absolute_url(), {"q": "核心"}).content.decode()
    assert '<details class="more">' in closed
    assert '<details class="more" open>' in opened and "<mark>核心</mark>" in opened


def test_the_reprinted_article_is_marked_with_its_outlet_author_and_date(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()
    article = html[html.index('<section id="article"'):]
    assert "記事(転載)" in article
    attribution = article[article.index('class="attribution"'):article.index("</p>", article.index('class="attribution"'))]
    assert "JBプレス" in attribution and '<time datetime="2025-08-04">' in attribution


def test_each_quotes_links_come_right_after_its_title(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()
    quote = html[html.index('id="quote-1"'):html.index('id="quote-2"')]
    assert quote.index("</h3>") < quote.index('class="links"') < quote.index('class="text"')


def test_foreign_titles_carry_their_language(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()
    tags = re.findall(r'<span class="original" lang="([^"]+)"', html)
    # Two English outlets, then three quotes of 阿波羅新聞網 in simplified characters (周晓辉, 设办事处, 乌克兰).
    assert tags == ["en", "en", "zh-Hans", "zh-Hans", "zh-Hans"]


def test_a_quote_without_a_translation_still_has_a_visible_heading(client):
    text = "『見出し』(8/4日経 記者)について\n\n8/4Reuters<Tariffs rise>\n本文。\n\nhttps://www.reuters.com/a\n\n論評。\n\n記事\n\n本文。\n"
    post = import_text(text, name="untranslated.txt").post
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<h3 id="quote-1-title" class="untranslated">' in html and 'lang="en">Tariffs rise</span>' in html


def test_empty_labels_are_hidden(client):
    text = "見出しだけの投稿\n\n私の論評。\n"
    post = import_text(text, name="bare.txt").post
    html = client.get(post.get_absolute_url()).content.decode()
    assert "論評対象の記事" not in html and "出典:" not in html and "<dl" not in html


def test_each_quote_links_to_its_outlets_other_quotes_and_the_page_to_its_neighbours(client, seed):
    newer = import_text(post_quoting("次の日の投稿", [("Reuters", "本文。")]), name="next.txt").post
    html = client.get(seed.get_absolute_url()).content.decode()
    assert html.count("この情報源の他の引用") == 5
    assert '/quotes/?source=the-gateway-pundit">この情報源の他の引用' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html
