from posts.search.query import MAX_TERMS, parse_query


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
