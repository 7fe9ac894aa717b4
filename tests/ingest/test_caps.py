"""A post over a structural cap (quotes, links, lines) is refused whole with a reason; one at the caps is stored."""

import pytest

from posts.ingest.caps import Caps, lines_refusal, structure_refusal
from posts.ingest.importing import CREATED, FAILED, import_text
from posts.ingest.parser import parse_post
from posts.models import Post


def quoting(quotes: int, links_each: int = 1, filler_lines: int = 0) -> str:
    text = "『大きな投稿』(2025/8/4日経 記者)について\n\n"
    for n in range(quotes):
        text += f"8/4Reuters<Headline {n}=見出し{n}>\n本文{n}。\n\n"
        text += "".join(f"https://example.org/2025/08/04/{n}/{k}\n" for k in range(links_each)) + "\n"
    return text + "論評。\n\n記事\n\n" + "記事の本文。\n" * filler_lines


def test_the_caps_count_what_the_parser_read():
    caps = Caps(quotes=3, links=6, lines=100)
    assert structure_refusal(parse_post(quoting(3, links_each=2)), caps) == ""
    assert structure_refusal(parse_post(quoting(4)), caps) == "引用が多すぎます(4件、上限は3件)。"
    assert structure_refusal(parse_post(quoting(3, links_each=3)), caps) == "リンクが多すぎます(9件、上限は6件)。"
    assert lines_refusal("一\n二\n", Caps(1, 1, 2)) == ""
    assert lines_refusal("一\n二\n三", Caps(1, 1, 2)) == "行が多すぎます(3行、上限は2行)。"


@pytest.mark.django_db
def test_the_attackers_post_of_20000_quote_headers_is_refused_with_a_reason():
    text = "『攻撃』(2025/8/4日経 記者)について\n\n" + "8/4Reuters<H=見出し>\n" * 20_000 + "論評。\n"
    result = import_text(text, name="attack.txt")
    assert result.outcome == FAILED and result.error == f"行が多すぎます({text.count(chr(10)):,}行、上限は6,000行)。"
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_post_over_the_quote_cap_is_refused_and_one_at_the_caps_is_stored(settings):
    settings.POST_MAX_QUOTES, settings.POST_MAX_LINKS = 5, 10
    refused = import_text(quoting(6), name="six.txt")
    assert refused.outcome == FAILED and "引用が多すぎます(6件、上限は5件)" in refused.error
    stored = import_text(quoting(5, links_each=2), name="five.txt")
    assert stored.outcome == CREATED and (stored.post.quotes.count(), stored.post.links.count()) == (5, 10)
    over_links = import_text(quoting(5, links_each=3), name="five.txt")  # the same post, edited past a cap
    assert over_links.outcome == FAILED and "リンクが多すぎます" in over_links.error
    assert Post.objects.get().links.count() == 10  # the stored post is untouched
