import pytest
from hypothesis import given
from hypothesis import strategies as st

from posts.search.tokens import (
    MAX_WORD_CHARS,
    Match,
    char_class,
    document_runs,
    fold,
    fold_pieces,
    lexemes,
    normalize,
    query_match,
)


def test_cjk_runs_become_bigrams_with_the_last_character_alone():
    assert document_runs("台湾有事") == " 台湾有事 "
    assert lexemes(document_runs("台湾有事")) == {"台湾", "湾有", "有事", "事"}


def test_three_kana_in_a_row_also_become_a_marked_trigram():
    assert lexemes(document_runs("アパート")) == {"アパ", "パー", "ート", "ト", "~アパー", "~パート"}
    assert lexemes(document_runs("押し付け")) == {"押し", "し付", "付け", "け"}
    assert lexemes(document_runs("あり国ありが")) == {"あり", "り国", "国あ", "りが", "が", "~ありが"}
    assert query_match("ありがたい") == Match("'~ありが' & '~りがた' & '~がたい'", "ありがたい", checked=True)
    assert query_match("ありが") == Match("'~ありが'", "ありが", checked=False)
    assert query_match("あり国ありが").tsquery == "'あり' & 'り国' & '国あ' & '~ありが'"
    assert query_match("あ") == Match("'あ':*", "あ", checked=False)


def test_latin_runs_are_one_token_each_in_lower_case():
    assert document_runs("John Ratcliffe, G7") == " _john _ratcliffe _g 7 "
    assert lexemes(document_runs("John Ratcliffe, G7")) == {"john", "ratcliffe", "g", "7"}


def test_digits_are_searched_by_characters_like_cjk():
    assert lexemes(document_runs("2025年")) == {"20", "02", "25", "5年", "年"}
    assert query_match("25年") == Match("'25' & '5年'", "25年", checked=True)


def test_punctuation_spaces_and_the_middle_dot_separate_runs():
    assert document_runs("ジョン・ラトクリフ") == " ジョン ラトクリフ "


def test_full_width_and_half_width_forms_fold_together():
    assert document_runs("ＦＢＩ") == document_runs("fbi") == " _fbi "
    assert document_runs("ﾃｽﾄ") == document_runs("テスト")
    assert fold("ｶﾞ") == "ガ"


def test_a_text_without_runs_has_nothing_to_index():
    assert document_runs("、。！ ・") == ""


def test_very_long_words_are_indexed_by_their_beginning():
    assert lexemes(document_runs("a" * 5000)) == {"a" * MAX_WORD_CHARS}
    assert query_match("a" * 5000).tsquery == f"'{'a' * MAX_WORD_CHARS}':*"


def test_queries_find_every_lexeme_then_check_the_runs_in_order():
    assert query_match("台湾有事") == Match("'台湾' & '湾有' & '有事'", "台湾有事", checked=True)
    assert query_match("台") == Match("'台':*", "台", checked=False)
    assert query_match("台湾") == Match("'台湾'", "台湾", checked=False)
    assert query_match("ジョン・ラトクリフ") == Match("'~ジョン' & 'ン' & '~ラトク' & '~トクリ' & '~クリフ'", "ジョン ラトクリフ", checked=True)
    assert query_match("米・ドル") == Match("'米' & 'ドル'", "米 ドル", checked=True)
    assert query_match("John Ratcl") == Match("'john' & 'ratcl':*", "_john _ratcl", checked=True)
    assert query_match("台湾、台湾").tsquery == "'台湾' & '湾'"
    assert query_match("&|!:*()<->'\\") is None


@pytest.mark.parametrize(
    "forms",
    [("台灣", "臺灣", "台湾"), ("习近平", "習近平"), ("周曉輝", "周暁輝", "周晓辉"), ("國", "国"), ("停戰", "停戦", "停战")],
)
def test_traditional_simplified_and_japanese_forms_of_a_han_character_fold_together(forms):
    assert len({fold(form) for form in forms}) == 1
    assert len({query_match(form) for form in forms}) == 1
    assert len({document_runs(form) for form in forms}) == 1


def test_folding_keeps_what_is_not_a_han_variant_and_twice_is_once():
    assert fold("テスト abc 台湾 한국") == "テスト abc 台湾 한국"
    for written in ("臺灣", "習近平", "周暁輝", "經濟", "広島"):
        assert fold(fold(written)) == fold(written)
    folded, origin = normalize("臺灣ＦＢＩ")
    assert folded == fold("台湾") + "fbi" and origin == [0, 1, 2, 3, 4]


def test_normalize_maps_each_folded_character_to_where_it_was_written():
    folded, origin = normalize("ＡBｶﾞ㍻")
    assert folded == "abガ平成"
    assert origin == [0, 1, 2, 4, 4]


def test_character_classes():
    assert [char_class(ch) for ch in "a1あア漢ー・々한ㄅ,_"] == ["latin", "cjk", "cjk", "cjk", "cjk", "cjk", None, "cjk", "cjk", "cjk", None, None]


texts = st.text(alphabet=st.sampled_from("停戦交渉台湾ーアありヺヿㇰ々 aBc１２ｶﾞ・、\n_~'\\%\u200b한𠀋"), max_size=40)


@pytest.mark.django_db
@given(texts)
def test_postgresql_makes_the_same_lexemes_as_python(text):
    """The index is built by SQL `posts_lexemes` (migration 0009); the queries are made in Python."""
    from django.db import connection

    runs = document_runs(text)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(posts_lexemes(%s))", [runs])
        assert set(cursor.fetchone()[0]) == lexemes(runs)


folding_texts = st.text(
    alphabet=st.sampled_from("かカｶﾞﾟ\u3099\u309a゛ガＡa\u0301e\u0308̈ﬁ㍻①（！ 漢𠀋\u200b\n・ﾃｽﾄ"), max_size=30
)


@given(folding_texts)
def test_folding_piece_by_piece_is_folding_the_whole_text(text):
    folded, origin = normalize(text)
    assert fold_pieces(text) == folded == fold(text)
    assert len(origin) == len(folded) and origin == sorted(origin)
