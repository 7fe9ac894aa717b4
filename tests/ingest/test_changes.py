"""What an import would change in a stored post, as readable diffs (posts/ingest/changes.py): no database."""

from posts.ingest.changes import FIELD_LINES, KEEP, PostParts, QuoteParts, post_changes, text_diff


def shown(lines: list[dict]) -> list[str]:
    """Lines as text: `-`/`+`/` ` and the line, [changed] text bracketed, cut text as <note>."""
    marks = {"same": " ", "old": "-", "new": "+"}
    parts = {"": "{}", "changed": "[{}]", "cut": "<{}>"}
    return [marks[line["op"]] + "".join(parts[kind].format(text) for kind, text in line["parts"]) for line in lines]


def paragraphs(*texts: str) -> str:
    return "\n\n".join(texts)


def test_an_unchanged_post_has_no_changes():
    post = PostParts(title="題", commentary="論評。", quotes=(QuoteParts(original_title="A", body="本文"),))
    assert post_changes(post, post) == {"parts": [], "quotes": []}


def test_it_marks_the_characters_that_changed_in_a_line():
    [hunk], left_out = text_diff("ラトクリフ氏によれば、外国の情報機関は", "ラトクリフ氏によると、外国の諜報機関は")
    assert shown(hunk["lines"]) == ["-ラトクリフ氏によ[れば]、外国の[情]報機関は", "+ラトクリフ氏によ[ると]、外国の[諜]報機関は"]
    assert left_out == 0


def test_it_shows_only_the_changed_paragraphs_with_a_little_context():
    before = paragraphs(*(f"段落{n}の文。" for n in range(1, 101)))
    after = before.replace("段落50の文。", "段落50の直した文。")
    [hunk], _ = text_diff(before, after)
    assert shown(hunk["lines"]) == [" 段落49の文。", " ", "-段落50の文。", "+段落50の[直した]文。", " ", " 段落51の文。"]
    assert hunk["start"] == 97  # the line of 段落49 in the new text


def test_a_long_paragraph_is_cut_around_its_change():
    head, tail = "前" * 1000, "後" * 1000
    [hunk], _ = text_diff(head + "古い" + tail, head + "新しい" + tail)
    old, new = shown(hunk["lines"])
    kept_after = "い" + "後" * (KEEP - 1)
    assert old == f"-<…(960文字省略)…>{'前' * KEEP}[古]{kept_after}<…(961文字省略)…>"
    assert new == f"+<…(960文字省略)…>{'前' * KEEP}[新し]{kept_after}<…(961文字省略)…>"


def test_a_replaced_paragraph_is_shown_whole_as_removed_then_added():
    [hunk], _ = text_diff(paragraphs("前の段落。", "まったく別の話。", "後の段落。"),
                          paragraphs("前の段落。", "ここは書き直した。", "後の段落。"))
    assert shown(hunk["lines"])[2:4] == ["-まったく別の話。", "+ここは書き直した。"]


def test_a_field_that_was_empty_shows_only_its_new_text():
    [hunk], _ = text_diff("", "山田太郎")
    assert shown(hunk["lines"]) == ["+山田太郎"]


def test_a_long_diff_shows_its_first_lines_and_counts_the_rest():
    before = "\n".join(f"行{n}" for n in range(200))
    after = "\n".join(f"行{n}" if n % 10 else f"直した行{n}" for n in range(200))
    hunks, left_out = text_diff(before, after)
    assert sum(len(hunk["lines"]) for hunk in hunks) <= FIELD_LINES
    assert left_out > 0
    assert left_out + sum(line["op"] != "same" for hunk in hunks for line in hunk["lines"]) == 40  # 20 lines, old and new


def test_each_changed_part_of_the_post_is_named():
    before = PostParts(title="題", published_on="2025-08-04", article_outlet="日経", commentary="論評。", article_body="記事。")
    after = PostParts(title="題", published_on="2025-08-05", article_outlet="JBプレス", commentary="論評。", article_body="記事!")
    changes = post_changes(before, after)
    assert [part["what"] for part in changes["parts"]] == ["公開日", "論評対象の記事の掲載元", "記事"]
    assert shown(changes["parts"][0]["hunks"][0]["lines"]) == ["-2025-08-0[4]", "+2025-08-0[5]"]


def test_quotes_added_removed_and_changed_say_which_fields_changed():
    a = QuoteParts(original_title="A", translated_title="エー", body="本文A", links=("https://a.example/1",))
    b = QuoteParts(original_title="B", translated_title="ビー", outlet="Reuters", body="本文B")
    c = QuoteParts(original_title="C", translated_title="シー", body="本文C")
    new = QuoteParts(original_title="N", translated_title="新しい引用", date="2025-08-05", outlet="AP")
    b2 = QuoteParts(original_title="B", translated_title="ビー", outlet="AP", body="本文B。", remark="→一言")
    a2 = QuoteParts(original_title="A", translated_title="エー", body="本文A", links=("https://a.example/1", "https://a.example/2"))

    found = post_changes(PostParts(quotes=(a, b, c)), PostParts(quotes=(new, a2, b2)))["quotes"]

    assert [(q["status"], q.get("position"), q.get("was"), q["name"]) for q in found] == [
        ("added", 1, None, "新しい引用"),
        ("changed", 2, 1, "エー"),
        ("changed", 3, 2, "ビー"),
        ("removed", None, 3, "シー"),
    ]
    assert found[0]["outlet"] == "AP" and found[0]["date"] == "2025-08-05"
    assert [field["what"] for field in found[1]["fields"]] == ["リンク"]
    assert shown(found[1]["fields"][0]["hunks"][0]["lines"]) == [" https://a.example/1", "+https://a.example/2"]
    assert [field["what"] for field in found[2]["fields"]] == ["情報源", "本文", "一言"]


def test_a_quote_whose_original_title_changed_is_the_same_quote_changed():
    before = (QuoteParts(original_title="Trmp says", body="本文"), QuoteParts(original_title="Other", body="他"))
    after = (QuoteParts(original_title="Trump says", body="本文"), QuoteParts(original_title="Other", body="他"))
    [changed] = post_changes(PostParts(quotes=before), PostParts(quotes=after))["quotes"]
    assert (changed["status"], changed["position"]) == ("changed", 1)
    assert [field["what"] for field in changed["fields"]] == ["原題"]
    assert shown(changed["fields"][0]["hunks"][0]["lines"]) == ["-Trmp says", "+Tr[u]mp says"]


def test_the_diffs_of_one_post_are_bounded_in_all():
    body = "\n".join(f"行{n}" for n in range(100))
    edited = "\n".join(f"直した行{n}" for n in range(100))
    before = PostParts(quotes=tuple(QuoteParts(original_title=str(n), body=body) for n in range(50)))
    after = PostParts(quotes=tuple(QuoteParts(original_title=str(n), body=edited) for n in range(50)))
    found = post_changes(before, after)["quotes"]
    assert len(found) == 50 and all(q["fields"][0]["what"] == "本文" for q in found)  # every change is named
    assert sum(len(h["lines"]) for q in found for h in q["fields"][0]["hunks"]) <= 400
    assert found[-1]["fields"][0]["hunks"] == [] and found[-1]["fields"][0]["left_out"] == 200



def test_texts_too_repetitive_to_compare_quickly_show_what_lies_between_their_common_ends_replaced():
    # Every second line blank, the others "x" or "y": comparing them line by line would take minutes.
    before = "前\n" + "\n".join("x" if n % 3 else "" for n in range(6000)) + "\n後"
    after = "前\n" + "\n".join("y" if n % 3 else "" for n in range(6000)) + "\n後"
    [hunk], left_out = text_diff(before, after)
    assert hunk["start"] == 1 and shown(hunk["lines"])[:3] == [" 前", " ", "-x"]  # the common start, then the change
    assert len(hunk["lines"]) == FIELD_LINES
    assert left_out == 2 * 5999 - (FIELD_LINES - 2)  # all between 前 and a blank line at the start and 後 at the end
