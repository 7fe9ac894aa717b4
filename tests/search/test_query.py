import pytest

from posts.search.query import MAX_TERMS, TITLE_FIELDS, parse_query


def clauses(text):
    return [(c.negated, [t.text for t in c.terms]) for c in parse_query(text).clauses]


def test_spaces_separate_terms_that_must_all_match():
    assert clauses("停戦 交渉") == [(False, ["停戦"]), (False, ["交渉"])]


def test_quotes_keep_a_phrase_together():
    assert clauses('"John Ratcliffe" 「台湾 有事」') == [(False, ["John Ratcliffe"]), (False, ["台湾 有事"])]
    assert clauses('"unclosed phrase') == [(False, ["unclosed phrase"])]


def test_minus_excludes_and_or_joins_alternatives():
    assert clauses("ウクライナ -ロシア") == [(False, ["ウクライナ"]), (True, ["ロシア"])]
    assert clauses("台湾 OR 尖閣 OR 沖縄") == [(False, ["台湾", "尖閣", "沖縄"])]
    assert clauses("OR 台湾") == [(False, ["台湾"])]
    assert clauses("台湾 OR -尖閣") == [(False, ["台湾"]), (True, ["尖閣"])]


def test_full_width_syntax_is_read_as_ascii():
    assert clauses("ウクライナ　－ロシア") == [(False, ["ウクライナ"]), (True, ["ロシア"])]


def test_what_cannot_be_searched_is_ignored_with_a_message():
    query = parse_query("!!! 停戦")
    assert clauses("!!! 停戦") == [(False, ["停戦"])]
    assert query.problems == ("文字や数字を含まない語は無視しました。",)
    assert not parse_query("&|!")


def test_long_queries_are_cut_with_a_message():
    query = parse_query("あ" * 500)
    assert len(query.text) == 200 and "最初の200文字" in query.problems[0]
    many = parse_query(" ".join(f"語{n}" for n in range(20)))
    assert sum(len(c.terms) for c in many.clauses) == MAX_TERMS
    assert any("語が多すぎる" in p for p in many.problems)


def test_highlight_terms_are_the_positive_ones():
    assert parse_query("a -b c OR d").highlight_terms == ("a", "c", "d")


def test_title_makes_a_term_that_must_be_in_a_title():
    query = parse_query('title:台湾 -title:"台湾 有事" title:尖閣 OR title:沖縄 本文')
    assert [(c.negated, [(t.text, bool(t.fields)) for t in c.terms]) for c in query.clauses] == [
        (False, [("台湾", True)]), (True, [("台湾 有事", True)]), (False, [("尖閣", True), ("沖縄", True)]), (False, [("本文", False)])
    ]
    assert parse_query("title:台湾").clauses[0].terms[0].fields == TITLE_FIELDS
    assert parse_query("TITLE:台湾").clauses[0].terms[0].fields == TITLE_FIELDS


def test_in_names_where_the_terms_must_be():
    assert parse_query("in:quote 台湾").parts == ("quote",)
    assert parse_query("in:article in:quote 台湾").parts == ("quote", "article")
    assert parse_query("-in:article 台湾").parts == ("quote", "commentary")
    assert parse_query("台湾").parts == ()


def test_outlet_keeps_the_names_as_written_for_the_pages_to_resolve():
    query = parse_query('台湾 outlet:aboluowang.com outlet:"Gateway Pundit" -outlet:CNN')
    assert query.outlets == ("aboluowang.com", "Gateway Pundit") and query.excluded_outlets == ("CNN",)
    assert clauses('台湾 outlet:aboluowang.com outlet:"Gateway Pundit" -outlet:CNN') == [(False, ["台湾"])]
    assert parse_query("outlet:CNN")  # a query with only an operator still asks for something


def test_colons_that_are_no_operator_stay_text():
    assert clauses("https://example.org/a 10:30 foo:bar") == [(False, ["https://example.org/a"]), (False, ["10:30"]), (False, ["foo:bar"])]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("in:foo 台湾", "「in:」に使えるのは quote・commentary・article です(「foo」は使えません)。"),
        ("in:quote -in:quote 台湾", "「in:」の指定で探す場所が残りません。"),
        ("outlet: 台湾", "「outlet:」の後に何もありません(「outlet:」と値の間に空白は入れません)。"),
        ("title: 台湾", "「title:」の後に何もありません(「title:」と値の間に空白は入れません)。"),
        ("title:!!! 台湾", "「title:」の後に検索できる語がありません。"),
        ('outlet:"" 台湾', "「outlet:」の後に情報源の名前がありません。"),
    ],
)
def test_a_bad_operator_is_a_message_and_the_rest_is_searched(text, problem):
    query = parse_query(text)
    assert problem in query.problems
    assert [t.text for c in query.positive for t in c.terms] == ["台湾"]
