"""The parser on the real seed post and on variants written for each rule of post-format.md.

No database: the parser is a pure function.
"""

import datetime as dt
import re

import pytest

from posts.ingest.parser import parse_post
from posts.search.tokens import char_class, normalize

TODAY = dt.date(2026, 11, 25)


def parse(text: str):
    """parse_post, checking on every call that no word of the input is lost."""
    post = parse_post(text, today=TODAY)
    assert_nothing_lost(text, post)
    return post


def kept_text(post) -> str:
    """Everything the parsed post holds, as one normalised text (and the format's own words)."""
    article = post.article
    parts = [post.title, article.outlet_as_written, article.author, post.commentary, post.article_body, post.footer]
    parts += [str(d) for d in (post.article.date, post.published_on) if d]
    for q in post.quotes:
        parts += [q.outlet_as_written, q.original_title, q.title, q.body, q.remark, *q.links, str(q.date)]
    parts += [str(w) for w in post.warnings]
    return normalize("\n".join(parts) + "について 記事")[0]


# Dates are syntax: what they say is checked by the date tests, and a date that is none is quoted in a warning.
WRITTEN_DATE = re.compile(r"(?:\d{4}[/／.年])?\d{1,2}[/／月]\d{1,2}(?:日(?!経))?")


def assert_nothing_lost(text: str, post) -> None:
    """Every run of letters, digits or CJK in `text` (outside its dates) is found in some part of the parsed post."""
    kept = kept_text(post)
    written = WRITTEN_DATE.sub(" ", normalize(text)[0])
    missing = [word for word in words(written) if word not in kept]
    assert not missing, f"lost: {missing[:5]}"


def words(text: str) -> list[str]:
    """Runs of letters, of digits and of CJK characters."""
    found, current, kind = [], "", None
    for ch in text:
        cls = "digit" if ch.isdigit() else char_class(ch)
        if cls != kind and current:
            found.append(current)
            current = ""
        kind = cls
        if cls:
            current += ch
    return found + ([current] if current else [])


def messages(post) -> str:
    return "\n".join(str(w) for w in post.warnings)


# The seed ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(seed_text):
    return parse(seed_text)


def test_it_reads_the_seed_title_and_commented_article(seed):
    assert seed.title == (
        "ロシア・中国・インドに対するトランプ2次関税の破壊力、ウクライナ停戦は実現するか "
        "停戦に向けたロシアとウクライナの直接交渉の概要"
    )
    assert seed.article.outlet == "JBプレス"
    assert seed.article.author == "横山恭三"
    assert seed.article.date == dt.date(2025, 8, 4)
    assert seed.published_on == dt.date(2025, 8, 5)
    assert seed.warnings == ()


def test_it_reads_all_five_seed_quotes(seed):
    got = [(q.date.isoformat(), q.outlet, q.original_title, q.title) for q in seed.quotes]
    assert got == [
        (
            "2025-08-04",
            "The Gateway Pundit",
            "CIA Director John Ratcliffe and FBI Director Patel Set to Release More Damning Documents "
            "Proving FBI Covered Up Clinton’s Collusion Hoax While Amplifying Steele Dossier",
            "CIA長官ジョン・ラトクリフとFBI長官パテルは、FBIがスティール文書を拡大しながらクリントンの共謀の捏造を"
            "隠蔽していたことを証明するさらなる有罪文書を公開する予定だ。",
        ),
        (
            "2025-08-04",
            "Rasmussen Reports",
            "69% Agree: ‘RussiaGate’ Requires Accountability",
            "69%が賛成:「ロシアゲート」には説明責任が必要",
        ),
        (
            "2025-08-05",
            "阿波羅新聞網",
            "周晓辉:FBI在新西兰设办事处 中共为何不满",
            "周暁輝:中共はなぜFBIのニュージーランド事務所開設に不満を抱いているのか?",
        ),
        (
            "2025-08-05",
            "阿波羅新聞網",
            "乌重大转机!首例落实北约美国协议—荷兰5亿欧元军援乌克兰 首例落实北约美国协议",
            "ウクライナに大きな転機! NATO・米国協定の初実施――オランダはウクライナに5億ユーロの軍事支援を実施 "
            "初めてNATO・米国協議が実施",
        ),
        (
            "2025-08-05",
            "阿波羅新聞網",
            "俄步兵排40人战14天仅剩3人“人海战术”超惨",
            "ロシア歩兵小隊40人、14日間の戦闘で生き残ったのはわずか3人。「人海戦術」は悲惨",
        ),
    ]


def test_it_keeps_each_seed_quote_body_between_header_and_links(seed):
    first, second, third = seed.quotes[:3]
    assert first.body.startswith("元下院議員でフォックス・ニュースの司会者トレイ・ガウディ氏")
    assert first.body.endswith("ドナルド・トランプは、このようなことが起こらないよう全力を尽くします。")
    assert "ジョン・ラットクリフ:" in first.body and "トレンド:ララ・トランプ" in first.body
    assert "https://" not in first.body
    assert second.body.startswith("いわゆる「ロシアゲート」スキャンダル")
    # The body started on the header line, right after ">".
    assert third.body.startswith("パテルFBI長官は、ニュージーランドの")
    assert all(q.remark == "" for q in seed.quotes)


def test_it_gives_each_seed_quote_its_links_and_the_post_all_seven(seed):
    assert seed.quotes[0].links == (
        "https://twitter.com/i/status/1952177345420243283",
        "https://www.thegatewaypundit.com/2025/08/cia-director-john-ratcliffe-fbi-director-patel-set/",
    )
    assert seed.quotes[1].links[1] == "https://x.com/i/status/1952174515238084971"
    assert seed.quotes[1].links[0].endswith("utm_medium=email")
    assert [len(q.links) for q in seed.quotes] == [2, 2, 1, 1, 1]
    assert len(seed.links) == 7
    assert seed.links == tuple(url for q in seed.quotes for url in q.links)


def test_it_separates_seed_commentary_article_and_footer(seed):
    assert seed.commentary.startswith("横山氏の記事では、プーチンの姿勢は強硬なので")
    assert seed.commentary.endswith("停戦・講和に結びつけるしかないのでは。")
    assert seed.article_body.startswith("カナダのカナナスキスで開かれたG7サミット")
    assert seed.article_body.endswith("政治家・外交官の登場が待たれる。")
    assert "応援クリック" not in seed.article_body and "良ければ下に" not in seed.article_body
    assert seed.footer == "良ければ下にあります\n\nを応援クリックよろしくお願いします。"


def test_the_seed_parsed_form_has_exactly_the_documented_keys(seed):
    form = seed.to_dict()
    assert list(form) == [
        "title", "article", "published_on", "quotes", "commentary", "article_body", "links", "warnings",
    ]
    assert form["article"] == {"date": "2025-08-04", "outlet": "JBプレス", "author": "横山恭三"}
    assert list(form["quotes"][0]) == ["date", "outlet", "original_title", "title", "body", "remark", "links"]


# Title line -------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, outlet, author, date",
    [
        ("『題』(8/4JBプレス 横山恭三)について", "JBプレス", "横山恭三", dt.date(2025, 8, 4)),
        ("『題』(8/4 JBプレス 横山恭三)について", "JBプレス", "横山恭三", dt.date(2025, 8, 4)),
        ("『題』(2024/9/12JBプレス 横山恭三)について", "JBプレス", "横山恭三", dt.date(2024, 9, 12)),
        ("『題』(7/23日経)について", "日経", "", dt.date(2025, 7, 23)),
        ("『題』（8/4JBpress 横山恭三）について", "JBプレス", "横山恭三", dt.date(2025, 8, 4)),
        ("『題』(8/4JBプレス 横山恭三)", "JBプレス", "横山恭三", dt.date(2025, 8, 4)),
        ("『題』(8/4The Gateway Pundit John Doe)について", "The Gateway Pundit", "John Doe", dt.date(2025, 8, 4)),
        ("『題』(8/4The Gateway Pundit)について", "The Gateway Pundit", "", dt.date(2025, 8, 4)),
        ("『題』(８/４日経 山田 太郎)について", "日経", "山田 太郎", dt.date(2025, 8, 4)),
    ],
)
def test_it_reads_title_line_variants(line, outlet, author, date):
    post = parse(line + "\n\n本文\nhttps://example.com/2025/08/05/x\n")
    assert (post.title, post.article.outlet, post.article.author, post.article.date) == ("題", outlet, author, date)


def test_an_unknown_outlet_with_spaces_takes_the_last_word_as_author_and_says_so():
    post = parse("『題』(8/4 Some Local Paper 山田)について\n\n本文")
    assert (post.article.outlet, post.article.author) == ("Some Local Paper", "山田")
    assert "unknown outlet" in messages(post)


def test_a_known_name_inside_a_longer_outlet_name_is_not_split_off():
    post = parse("『題』(8/4日経ビジネス 山田)について\n\n本文")
    assert (post.article.outlet, post.article.author) == ("日経ビジネス", "山田")
    post = parse("『題』(8/4日経山田太郎)について\n\n本文")
    assert (post.article.outlet, post.article.author) == ("日経山田太郎", "")
    assert "an author could not be told apart" in messages(post)


def test_a_title_line_it_cannot_read_is_kept_whole_with_a_warning():
    post = parse("これはタイトル行ではない\n\n本文です。")
    assert post.title == "これはタイトル行ではない"
    assert post.article.date is None
    assert "line 1: title line not in the form" in messages(post)
    assert post.commentary == "本文です。"


def test_a_post_starting_with_a_quote_has_no_title_but_keeps_the_quote():
    post = parse("8/4Reuters<Title=題>\n本文\nhttps://www.reuters.com/a\n")
    assert post.title == ""
    assert post.quotes[0].outlet == "Reuters" and post.quotes[0].body == "本文"
    assert "no title line" in messages(post)


# Quote headers ------------------------------------------------------------------


def quote_of(header_and_body: str):
    post = parse(f"『題』(8/5日経)について\n\n{header_and_body}\nhttps://example.com/2025/08/05/a\n")
    assert len(post.quotes) == 1, post.quotes
    return post.quotes[0], post


@pytest.mark.parametrize(
    "header, outlet, original, translated",
    [
        ("8/4Reuters<Tariffs rise=関税が上がる>", "Reuters", "Tariffs rise", "関税が上がる"),
        ("8/4 Reuters<Tariffs rise=関税が上がる>", "Reuters", "Tariffs rise", "関税が上がる"),
        ("8/4Reuters＜Tariffs rise＝関税が上がる＞", "Reuters", "Tariffs rise", "関税が上がる"),
        ("8/4Reuters<Tariffs rise>", "Reuters", "Tariffs rise", ""),
        ("8/4産経<日本語だけの見出し>", "産経", "日本語だけの見出し", ""),
        ("8/4産経<1ドル=160円に円安が進む>", "産経", "1ドル=160円に円安が進む", ""),
        ("8/4阿波罗新闻网<中共为何不满=中共はなぜ不満か>", "阿波羅新聞網", "中共为何不满", "中共はなぜ不満か"),
        ("8/4The Gateway Pundit<A <quoted> word=引用された言葉>", "The Gateway Pundit", "A <quoted> word", "引用された言葉"),
        ("8/4Breitbart<Trump's Win = Big News=トランプの勝利>", "Breitbart", "Trump's Win = Big News", "トランプの勝利"),
        ("8/4Breitbart<Dollar at 160=1ドル=160円>", "Breitbart", "Dollar at 160", "1ドル=160円"),
        ("2025/8/4Reuters<Tariffs rise=関税が上がる>", "Reuters", "Tariffs rise", "関税が上がる"),
    ],
)
def test_it_reads_quote_header_variants(header, outlet, original, translated):
    quote, post = quote_of(header + "\n本文。")
    assert (quote.outlet, quote.original_title, quote.title, quote.body) == (outlet, original, translated, "本文。")


def test_the_body_may_start_on_the_header_line():
    quote, _ = quote_of("8/4Reuters<Tariffs rise=関税が上がる>最初の段落。\n\n次の段落。")
    assert quote.body == "最初の段落。\n\n次の段落。"


def test_equals_and_brackets_in_body_text_do_not_start_a_quote():
    quote, post = quote_of("8/4Reuters<Tariffs=関税>\n1ドル=160円になった。\n<注>本文中の括弧。\n米国は8/4に発表した。")
    assert "1ドル=160円になった。\n<注>本文中の括弧。\n米国は8/4に発表した。" == quote.body


def test_it_resolves_an_unknown_spelling_through_the_link_domain():
    quote, _ = quote_of("8/4ゲートウェイパンディット社<Title=題>\n本文\nhttps://www.thegatewaypundit.com/2025/08/x/")
    assert quote.outlet == "The Gateway Pundit"
    assert quote.outlet_as_written == "ゲートウェイパンディット社"


def test_a_written_name_overruled_by_the_link_domain_is_named_in_a_warning():
    quote, post = quote_of("8/4Daily Signal<A=あ>\n本文\nhttps://www.foxnews.com/a")
    assert (quote.outlet, quote.outlet_as_written) == ("Fox News", "Daily Signal")
    assert "unknown outlet “Daily Signal”: read as Fox News from its link" in messages(post)


def test_an_outlet_may_start_with_a_digit_after_a_space():
    quote, _ = quote_of("8/4 9News<Title=題>\n本文")
    assert quote.outlet == "9News"


def test_the_day_mark_may_begin_the_outlet():
    # `8月4日経`: 8月4日 + 経 is no outlet, 8月4 + 日経 is.
    post = parse("『題』(8月4日経 記者)について\n8月4日経<A=B>\nhttps://www.nikkei.com/article/x\n")
    assert (post.article.outlet, post.article.author, post.quotes[0].outlet) == ("日経", "記者", "日経")
    assert parse("『題』(8月4日日経 記者)について").article.outlet == "日経"


def test_a_header_without_brackets_is_warned_only_where_a_header_stands():
    post = parse("『題』(8/4日経)について\n8/4Reuters<A=B>\nhttps://www.reuters.com/a\n\n8/5Reuters Tariffs=関税\n"
                 "https://www.reuters.com/b\n論評です。\n8/4日経によると、A=Bだ。\n")
    assert [w for w in messages(post).splitlines() if "without its <" in w] == [
        "line 5: looks like a quote header without its <original=translation>: read as text"
    ]


def test_a_date_that_is_not_one_is_named_as_written():
    assert "line 1: not a date: 13月4日" in messages(parse("『題』(13月4日 日経)について"))


def test_an_unknown_outlet_is_kept_as_written():
    quote, _ = quote_of("8/4Mystery Gazette<Title=題>\n本文")
    assert quote.outlet == "Mystery Gazette"


def test_an_unclosed_header_is_read_with_a_warning():
    quote, post = quote_of("8/4Reuters<Tariffs rise=関税が上がる\n本文")
    assert (quote.original_title, quote.title, quote.body) == ("Tariffs rise", "関税が上がる", "本文")
    assert "line 3: no closing >" in messages(post)


def test_unbalanced_brackets_end_the_title_at_the_last_closing_one():
    quote, post = quote_of("8/4Reuters<Price < cost=価格が原価を下回る>本文")
    assert (quote.original_title, quote.title, quote.body) == ("Price < cost", "価格が原価を下回る", "本文")
    assert "unbalanced" in messages(post)


# Remarks, commentary, article, footer --------------------------------------------


POST_WITH_REMARKS = """『題』(8/5日経 山田)について

8/4Reuters<First=一つ目>
一つ目の本文。

https://www.reuters.com/2025/08/04/first

https://x.com/i/status/1952177345420243283

→一つ目への感想。
二行目の感想。

8/5Bloomberg<Second=二つ目>二つ目の本文。
https://www.bloomberg.com/news/2025-08-05/second

→最後の引用への感想。

ここからが私の論評です。

二段落目の論評。

記事

記事の一段落目。

記事の二段落目。

良ければ下にあります

を応援クリックよろしくお願いします。
"""


def test_text_after_a_quotes_last_url_is_its_remark():
    post = parse(POST_WITH_REMARKS)
    first, second = post.quotes
    assert first.body == "一つ目の本文。"
    assert first.remark == "→一つ目への感想。\n二行目の感想。"
    assert first.links == ("https://www.reuters.com/2025/08/04/first", "https://x.com/i/status/1952177345420243283")
    assert second.remark == "→最後の引用への感想。"


def test_the_commentary_follows_the_last_quote_and_the_article_follows_kiji():
    post = parse(POST_WITH_REMARKS)
    assert post.commentary == "ここからが私の論評です。\n\n二段落目の論評。"
    assert post.article_body == "記事の一段落目。\n\n記事の二段落目。"
    assert post.footer == "良ければ下にあります\n\nを応援クリックよろしくお願いします。"
    assert post.warnings == ()


@pytest.mark.parametrize(
    "ending",
    [
        "https://reuters.com/a。",
        "<https://reuters.com/a>",
        "https://reuters.com/a https://x.com/i/status/1952177345420243283",
        "（https://reuters.com/a）",
    ],
)
def test_url_lines_may_carry_brackets_and_punctuation(ending):
    post = parse(f"『題』(8/5日経)について\n\n8/5Reuters<T=題>\n本文\n{ending}\n→感想。\n\n論評。")
    assert post.quotes[0].body == "本文"
    assert post.quotes[0].remark == "→感想。"
    assert post.quotes[0].links[0] == "https://reuters.com/a"
    assert post.commentary == "論評。"


def test_the_footer_is_recognised_wherever_the_post_ends():
    no_link = parse("『題』(8/5日経)について\n\n8/5Reuters<T=題>\n本文\n良ければ下にあります\nを応援クリックよろしくお願いします。")
    assert no_link.quotes[0].body == "本文" and no_link.footer.startswith("良ければ")
    after_remark = parse("『題』(8/5日経)について\n\n8/5Reuters<T=題>\n本文\nhttps://reuters.com/a\n→感想。\n良ければ下にあります")
    assert after_remark.quotes[0].remark == "→感想。" and after_remark.footer == "良ければ下にあります"


@pytest.mark.parametrize("last_line", ["この件で応援クリックが増えた。", "本文の最後の段落。応援クリックよろしくお願いします。"])
def test_only_the_known_footer_lines_are_footer(last_line):
    post = parse(f"『題』(8/5日経)について\n\n論評。\n\n記事\n\n本文。\n{last_line}\n")
    assert post.article_body == f"本文。\n{last_line}"
    assert post.footer == ""


def test_a_url_alone_on_its_line_may_hold_any_character():
    post = parse("『題』(8/5日経)について\n\n8/5Reuters<T=題>\n本文\nhttps://ja.wikipedia.org/wiki/日本\n\n論評。")
    assert post.quotes[0].links == ("https://ja.wikipedia.org/wiki/日本",)
    assert post.commentary == "論評。"
    inline = parse("『題』(8/5日経)について\n\n詳細はhttps://example.com/xを参照。")
    assert inline.links == ("https://example.com/x",)


def test_each_link_knows_its_quote():
    post = parse(
        "『題』(8/5日経)について\n\nhttps://reuters.com/b\n\n8/5Reuters<A=あ>\n本文\nhttps://reuters.com/a\n\n"
        "8/5Reuters<B=び>\n本文\nhttps://reuters.com/b\n\n論評 https://example.com/c\n\n記事\nhttps://example.com/d\n"
    )
    assert list(zip(post.links, post.link_quotes)) == [
        ("https://reuters.com/b", None),
        ("https://reuters.com/a", 0),
        ("https://reuters.com/b", 1),
        ("https://example.com/c", None),
        ("https://example.com/d", None),
    ]


def test_a_post_without_article_keeps_the_footer_out_of_the_commentary():
    post = parse("『題』(8/5日経)について\n\n論評です。\n\n良ければ下にあります\n\nを応援クリックよろしくお願いします。\n")
    assert (post.commentary, post.article_body) == ("論評です。", "")
    assert post.footer.startswith("良ければ下に")


def test_a_post_without_quotes_is_all_commentary():
    post = parse("『題』(8/5日経)について\n\n論評の一段落目。\n\n二段落目。\n\n記事\n\n本文。")
    assert post.quotes == ()
    assert post.commentary == "論評の一段落目。\n\n二段落目。"
    assert post.article_body == "本文。"


def test_text_before_the_first_quote_is_kept_in_the_commentary_with_a_warning():
    post = parse("『題』(8/5日経)について\n\n前置きの文章。\n\n8/5Reuters<T=題>\n本文\nhttps://reuters.com/x\n\n論評。")
    assert post.commentary == "前置きの文章。\n\n論評。"
    assert "line 2: text before the first quote" in messages(post)


def test_a_last_quote_without_links_keeps_following_text_in_its_body_and_says_so():
    post = parse("『題』(8/5日経)について\n\n8/5Reuters<T=題>\n本文\n\n論評かもしれない。\n\n記事\n\n本文。")
    assert post.quotes[0].body == "本文\n\n論評かもしれない。"
    assert post.article_body == "本文。"
    assert "line 3: the last quote has no URL line" in messages(post)


def test_the_first_kiji_line_outside_a_quote_body_starts_the_article():
    post = parse("『題』(8/5日経)について\n\n記事\n\n8/5Reuters<T=題>\n本文\nhttps://reuters.com/x\n")
    assert post.quotes == ()
    assert post.article_body == "8/5Reuters<T=題>\n本文\nhttps://reuters.com/x"
    assert "line 5: looks like a quote header but comes after the 記事 line" in messages(post)


def test_a_kiji_line_inside_a_quote_body_is_body_text():
    post = parse("『題』(8/5日経)について\n\n8/5Reuters<T=題>\n本文\n記事\n続き\nhttps://reuters.com/x\n\n論評。")
    assert post.quotes[0].body == "本文\n記事\n続き"
    assert (post.commentary, post.article_body) == ("論評。", "")


def test_a_header_like_line_in_the_article_stays_in_the_article():
    post = parse(
        "『題』(8/5日経)について\n\n8/4Breitbart<A=あ>本文\nhttps://breitbart.com/x\nまとめ\n\n記事\n"
        "本文の一行目\n6/17日経<X>本文の二行目\n"
    )
    assert len(post.quotes) == 1 and post.commentary == "まとめ"
    assert post.article_body == "本文の一行目\n6/17日経<X>本文の二行目"


@pytest.mark.parametrize("line", ["8/5に会談する予定<暫定>だ。", "8/5、首相は<遺憾>と述べた。", "8/5ABC<注>という表記。"])
def test_a_body_line_that_looks_like_a_header_is_body_text(line):
    post = parse(f"『題』(8/5日経)について\n\n8/4Breitbart<A=あ>本文\n{line}\nhttps://breitbart.com/x\n")
    assert len(post.quotes) == 1
    assert post.quotes[0].body == f"本文\n{line}"
    assert post.quotes[0].links == ("https://breitbart.com/x",)


def test_a_known_outlet_starts_a_quote_even_when_the_previous_one_gave_no_link():
    post = parse("『題』(8/5日経)について\n\n8/4Breitbart<A=あ>本文\n8/5Reuters<B=び>本文\nhttps://reuters.com/x\n")
    assert [q.outlet for q in post.quotes] == ["Breitbart", "Reuters"]
    assert "line 3: this quote has no URL line" in messages(post)


# Dates and years --------------------------------------------------------------------


def dated(title_date: str, *quote_dates: str, urls: tuple[str, ...] = ()):
    lines = [f"『題』({title_date}日経)について", ""]
    for n, date in enumerate(quote_dates):
        lines += [f"{date}Reuters<T{n}=題{n}>", "本文", urls[n] if n < len(urls) else "https://reuters.com/x", ""]
    return parse("\n".join(lines))


def test_an_explicit_year_in_any_header_sets_the_year():
    post = dated("8/4", "2023/8/3", urls=("https://reuters.com/2025/08/03/x",))
    assert post.article.date == dt.date(2023, 8, 4)


def test_dates_in_urls_come_before_status_ids():
    post = dated("8/4", "8/4", "8/4", urls=("https://x.com/i/status/1952177345420243283", "https://a.com/2019/0804/x.html"))
    assert post.article.date == dt.date(2019, 8, 4)


def test_url_date_forms():
    for url in ("https://a.com/2021/08/04/x", "https://a.com/2021/0804/1.html", "https://a.com/n/2021-08-04-x", "https://a.com/2021/08/x"):
        assert dated("8/4", "8/4", urls=(url,)).article.date == dt.date(2021, 8, 4), url


def test_status_ids_give_the_year_when_urls_have_no_dates():
    post = dated("8/4", "8/4", urls=("https://twitter.com/i/status/1952177345420243283",))
    assert post.article.date == dt.date(2025, 8, 4)
    assert post.warnings == ()


def test_without_evidence_a_date_is_the_latest_before_the_import_date_with_a_warning():
    post = dated("8/4", "8/4", urls=("https://reuters.com/world/x",))
    assert post.article.date == dt.date(2026, 8, 4)  # TODAY is 2026-11-25
    assert "no year in the post" in messages(post)
    post = parse_post("『題』(12/24日経 山田)について\n本文", today=dt.date(2026, 3, 1))
    assert post.article.date == post.published_on == dt.date(2025, 12, 24)


def test_evidence_dated_after_the_import_date_is_ignored():
    post = dated("8/4", "8/4", urls=("https://a.com/2099/01/01/x",))
    assert post.article.date == dt.date(2026, 8, 4)
    post = dated("2099/8/4", "8/4", urls=("https://a.com/2025/08/04/x",))
    assert post.quotes[0].date == dt.date(2025, 8, 4)
    assert "line 1: 2099-08-04 is after the import date" in messages(post)


def test_a_leap_day_without_a_year_finds_its_leap_year():
    post = parse_post("『題』(2/29日経)について\n本文", today=dt.date(2026, 3, 1))
    assert post.article.date == dt.date(2024, 2, 29)


def test_the_year_boundary_picks_the_nearest_year():
    post = dated("1/2", "12/31", "1/1", urls=("https://a.com/2026/01/02/x",))
    assert [q.date for q in post.quotes] == [dt.date(2025, 12, 31), dt.date(2026, 1, 1)]
    assert post.article.date == dt.date(2026, 1, 2)
    assert post.published_on == dt.date(2026, 1, 2)


def test_published_on_is_the_latest_header_date():
    post = dated("8/3", "8/4", "8/6", "8/5", urls=("https://a.com/2025/08/06/x",))
    assert post.published_on == dt.date(2025, 8, 6)


def test_an_impossible_date_is_a_warning_not_an_error():
    post = dated("8/4", "2/30", urls=("https://a.com/2025/08/04/x",))
    assert post.quotes[0].date is None
    assert "line 3: not a date: 2/30" in messages(post)
    assert "line 1: not a date: 0000/8/4" in messages(parse("『題』(0000/8/4日経)について\n本文"))


# Never raises, never drops text ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "\ud800 lone surrogate", "\x00\x01\x1b[0m", "『" * 10_000, "8/4<" * 1000, "<<<>>>===\n" * 50,
     "『』()について", "8/4X<" + "<" * 100, "\u2028\u2029\x85", "記事\n記事\n記事", "9999/99/99X<y>"],
)
def test_it_never_raises(text):
    post = parse(text)
    assert post.published_on is not None


def test_crlf_text_given_straight_to_the_parser_is_read_the_same(seed_text, seed):
    assert parse(seed_text.replace("\n", "\r\n")) == seed


@pytest.mark.parametrize(
    "line",
    [
        " " * 100_000 + "(1/1",
        "x" + " " * 100_000 + "y",
        "『題』(" + "a " * 50_000 + ")",
        "『題』(8/4 " + "(" * 50_000,
        "8/4A<" + "a=" * 50_000 + ">",
        "8/4A<" + "あ=" * 50_000 + ">",
        "https://a.com/" + ")" * 100_000,
        "8/4" + " " * 100_000 + "A",
        "『" + "』" * 50_000 + "(" + " " * 50_000 + "x",
    ],
)
def test_hostile_lines_are_read_in_one_pass(line):
    # A guard against patterns that backtrack without end (seconds, not a speed target).
    import signal

    def hang(*_):
        raise TimeoutError("the parser did not finish: a pattern backtracks")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(20)
    try:
        for text in (line, "『題』(8/4日経)について\n" + line, "『題』(8/4日経)について\n8/4A<B=び>\n" + line):
            parse(text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_nothing_of_the_seed_is_lost(seed_text, seed):
    assert_nothing_lost(seed_text, seed)
    assert seed.link_quotes == (0, 0, 1, 1, 2, 3, 4)
