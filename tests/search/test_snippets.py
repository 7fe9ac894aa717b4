from posts.search.snippets import find, highlight, snippets


def test_matches_map_back_to_the_text_as_written():
    assert highlight("ＦＢＩ長官パテル", ["fbi"]) == [("ＦＢＩ", True), ("長官パテル", False)]
    assert highlight("半角ﾃｽﾄです", ["テスト"]) == [("半角", False), ("ﾃｽﾄ", True), ("です", False)]


def test_english_matches_whole_words_and_word_beginnings_only():
    assert find("Ratcliffe and ratcliffes, not Bratcliffe", ["ratcliffe"]) == [(0, 9), (14, 23)]


def test_a_phrase_matches_across_separators_but_not_inside_a_run():
    assert find("ジョン・ラトクリフ", ["ジョン ラトクリフ"]) == [(0, 9)]
    assert find("ジョンラトクリフ", ["ジョン・ラトクリフ"]) == []


def test_snippets_are_windows_around_matches():
    text = "あ" * 100 + "停戦" + "い" * 100 + "停戦" + "う" * 10
    windows = snippets(text, ["停戦"], radius=5)
    assert ["".join(piece for piece, _ in w) for w in windows] == ["あああああ停戦いいいいい", "いいいいい停戦ううううう"]
    assert snippets(text, ["無い"]) == []


def test_overlapping_matches_merge():
    assert find("停戦交渉", ["停戦", "戦交"]) == [(0, 3)]


def test_marked_segments_escape_every_piece_of_text():
    from posts.web.marks import marked

    assert marked([("<b>a</b>", False), ("<i>", True)]) == "&lt;b&gt;a&lt;/b&gt;<mark>&lt;i&gt;</mark>"


def test_a_han_variant_is_marked_as_written():
    assert highlight("臺灣の話と台湾の話", ["台灣"]) == [("臺灣", True), ("の話と", False), ("台湾", True), ("の話", False)]
    assert highlight("周暁輝氏", ["周曉輝"]) == [("周暁輝", True), ("氏", False)]
