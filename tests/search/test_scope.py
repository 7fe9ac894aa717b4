"""Outlet-exact search: with an outlet in the scope, every term must be in that outlet's own text (its quotes'
titles, bodies and remarks, and the article when the post comments on one of its articles), on real PostgreSQL."""

import pytest

from posts.ingest.importing import import_text
from posts.models import Post, Source
from posts.search.matching import Lookup, search
from posts.search.query import parse_query
from posts.search.ranking import relevance
from posts.search.scope import Scope
from tests.conftest import post_quoting

pytestmark = pytest.mark.django_db


def post(title: str, quotes: list[tuple[str, str]], **parts) -> Post:
    result = import_text(post_quoting(title, quotes, **parts), name=f"{title}.txt")
    assert result.outcome == "created", result
    return result.post


@pytest.fixture
def posts():
    return {
        "in_its_quote": post("甲", [("Reuters", "台湾有事について。"), ("CNN", "別の話。")]),
        "in_another_outlets_quote": post("乙", [("Reuters", "関税の話。"), ("CNN", "台湾有事について。")]),
        "in_its_article": post("丙", [("CNN", "別の話。")], article_outlet="Reuters", article="台湾有事の記事。"),
        "in_the_commentary": post("丁", [("Reuters", "関税の話。")], commentary="台湾有事を論じる。"),
        "in_its_remark": post("戊", [("Reuters", "関税の話。")], remark="台湾有事にも触れたい。"),
        "in_another_outlets_article": post("己", [("Reuters", "関税の話。")], article="台湾有事の記事。"),
        "in_the_title": post("台湾有事", [("Reuters", "関税の話。")]),
    }


def found(query: str, scope: Scope) -> set[int]:
    return set(search(Post.objects.all(), parse_query(query), scope).values_list("id", flat=True))


def reuters() -> Scope:
    return Scope(outlets=frozenset({Source.objects.get(name="Reuters").pk}))


@pytest.mark.parametrize("query", ["台湾", "台湾有事", '"台湾有事"', "有事 台湾", "台湾 OR 尖閣"])
def test_every_term_must_be_in_the_outlets_own_text(posts, query):
    # One lexeme (台湾), a phrase checked passage by passage (台湾有事), AND and OR.
    assert found(query, reuters()) == {posts["in_its_quote"].pk, posts["in_its_article"].pk, posts["in_its_remark"].pk}
    assert found(query, Scope()) == {p.pk for p in posts.values()}


def test_terms_in_two_outlets_quotes_do_not_add_up_to_one_outlets_match(posts):
    both = post("庚", [("Reuters", "台湾の話。"), ("CNN", "関税の話。")])
    assert found("台湾 関税", Scope()) >= {both.pk}
    assert both.pk not in found("台湾 関税", reuters())
    assert both.pk in found("台湾 関税", Scope(outlets=frozenset(Source.objects.filter(name__in=["Reuters", "CNN"]).values_list("pk", flat=True))))


def test_an_outlet_and_a_part_both_hold(posts):
    quote_part = Scope(parts=("quote",), outlets=reuters().outlets)
    article_part = Scope(parts=("article",), outlets=reuters().outlets)
    assert found("台湾", quote_part) == {posts["in_its_quote"].pk}
    assert found("台湾", article_part) == {posts["in_its_article"].pk}


def test_a_negated_term_excludes_posts_that_have_it_anywhere(posts):
    # 別の話 is in a CNN quote of 甲 and 丙: the post has it, so it goes, whatever outlet the search is in.
    assert found("台湾 -別の話", reuters()) == {posts["in_its_remark"].pk}


def test_relevance_counts_only_the_outlets_text(posts):
    ids = [p.pk for p in posts.values()]
    scores = relevance(ids, Lookup(parse_query("台湾"), reuters()), len(ids))
    assert set(scores) == {posts["in_its_quote"].pk, posts["in_its_article"].pk, posts["in_its_remark"].pk}


def test_holds_is_the_same_rule_for_snippets(posts):
    scope = reuters()
    for name, stored in posts.items():
        stored = Post.objects.get(pk=stored.pk)
        holding = [text for text in stored.texts() if "台湾" in text.text and scope.holds(stored, text)]
        assert bool(holding) == (name in ("in_its_quote", "in_its_article", "in_its_remark")), name
