from posts.tokens import char_class, document_vector, fold, normalize, query_tsquery


def test_cjk_runs_become_bigrams_with_the_last_character_alone():
    assert document_vector("停戦交渉") == "'停戦':1 '戦交':2 '交渉':3 '渉':4"


def test_latin_runs_are_one_token_each_in_lower_case():
    assert document_vector("John Ratcliffe, G7") == "'john':1 'ratcliffe':2 'g':3 '7':4"


def test_digits_are_searched_by_characters_like_cjk():
    assert document_vector("2025年") == "'20':1 '02':2 '25':3 '5年':4 '年':5"
    assert query_tsquery("25年") == "'25' <-> '5年'"


def test_punctuation_spaces_and_the_middle_dot_separate_runs():
    assert document_vector("ジョン・ラトクリフ") == "'ジョ':1 'ョン':2 'ン':3 'ラト':4 'トク':5 'クリ':6 'リフ':7 'フ':8"


def test_full_width_and_half_width_forms_fold_together():
    assert document_vector("ＦＢＩ") == document_vector("fbi") == "'fbi':1"
    assert document_vector("ﾃｽﾄ") == document_vector("テスト")
    assert fold("ｶﾞ") == "ガ"


def test_repeated_lexemes_keep_every_position():
    assert document_vector("停戦、停戦") == "'停戦':1,3 '戦':2,4"


def test_positions_stop_at_postgresqls_limit():
    vector = document_vector("a " * 20000)
    assert vector.startswith("'a':1,2,3")
    assert len(vector.split(":")[1].split(",")) == 256


def test_queries_are_phrases_of_the_same_tokens():
    assert query_tsquery("停戦交渉") == "'停戦' <-> '戦交' <-> '交渉'"
    assert query_tsquery("停") == "'停':*"
    assert query_tsquery("ジョン・ラトクリフ") == "'ジョ' <-> 'ョン' <-> 'ン' <-> 'ラト' <-> 'トク' <-> 'クリ' <-> 'リフ'"
    assert query_tsquery("円・ドル") == "'円' <-> 'ドル'"
    assert query_tsquery("John Ratcl") == "'john' <-> 'ratcl':*"
    assert query_tsquery("&|!:*()<->'\\") is None


def test_normalize_maps_each_folded_character_to_where_it_was_written():
    folded, origin = normalize("ＡBｶﾞ㍻")
    assert folded == "abガ平成"
    assert origin == [0, 1, 2, 4, 4]


def test_character_classes():
    assert [char_class(ch) for ch in "a1あア漢ー・々한ㄅ,_"] == ["latin", "cjk", "cjk", "cjk", "cjk", "cjk", None, "cjk", "cjk", "cjk", None, None]
