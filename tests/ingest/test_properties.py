"""Properties of the parser and the decoder over generated input (hypothesis). No database.

- The parser never raises, whatever the string: lone surrogates, control characters, any mix of the format's
  own punctuation.
- Nothing is lost: every run of letters, digits or CJK characters, and every other visible character that is
  not the format's own punctuation (brackets, `=`, `/`, dates, `について`, `記事`, and sentence punctuation glued
  to a URL's end, which the link leaves out), is found in a part of the parsed post or in a warning. (The raw
  text itself is stored byte for byte besides.)
- Parsing is deterministic.
- Decoding gives back text written in UTF-8, UTF-8 with BOM, UTF-16, CP932 and EUC-JP, with LF line ends.
"""

import codecs
import datetime as dt
import json
import os
import re
import subprocess
import sys

from hypothesis import example, given
from hypothesis import strategies as st

from posts.ingest.decoding import decode_post
from posts.ingest.parser import parse_post
from posts.ingest.syntax import trim_url
from posts.search.tokens import normalize
from tests.conftest import SEED
from tests.ingest.test_parser import WRITTEN_DATE, assert_nothing_lost, kept_text

TODAY = dt.date(2026, 11, 25)
URL = re.compile(r"https?://\S+")
SYNTAX = set("『』「」()()<>＜＞=＝/／:: ・")
SEED_LINES = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]

# Any string at all, surrogates and controls included.
any_text = st.text(st.characters(exclude_categories=()), max_size=400)

# Strings built from the format's pieces, so that generated input reaches every rule of the parser.
words = st.text(
    st.sampled_from("あいう停戦台湾關稅ラトクリフーabcXYZ09 ＦＢＩ々〆\t<>＜＞=＝『』「」()()/::.,→※#@\u200b\u3000\x0b\x1b"),
    max_size=12,
)
dates = st.builds(
    lambda y, m, d, sep: (f"{y}/" if y else "") + f"{m}{sep}{d}",
    st.sampled_from(["", "2025", "2019", "0000"]), st.integers(0, 13), st.integers(0, 32), st.sampled_from(["/", "月"]),
)
outlets = st.sampled_from(["Reuters", "日経", "JBプレス", "JBpress", "阿波羅新聞網", "The Gateway Pundit", "未知の社", ""])
urls = st.builds(
    lambda host, path: f"https://{host}/{path}",
    st.sampled_from(["www.reuters.com", "x.com/someone/status", "twitter.com/a/status", "example.org", "jbpress.ismedia.jp"]),
    st.sampled_from(["2025/08/04/a", "1952347000000000000", "articles/-/1", ")", "?q=<x>&y=1"]),
)
lines = st.one_of(
    st.builds(lambda t, d, o, a: f"『{t}』({d}{o} {a})について", words, dates, outlets, words),
    st.builds(lambda d, o, orig, tr, b: f"{d}{o}<{orig}={tr}>{b}", dates, outlets, words, words, words),
    st.builds(lambda d, o, orig: f"{d} {o}＜{orig}", dates, outlets, words),  # unclosed, no translation
    st.builds(lambda u, r: f"{u}{r}", urls, words),
    st.sampled_from(["記事", "", "→", "※以上、記事の引用です。"]),
    words,
)
post_like = st.builds("\n".join, st.lists(lines, max_size=25))


def parse(text: str):
    return parse_post(text, today=TODAY)


def assert_no_character_lost(text: str, post) -> None:
    assert_nothing_lost(text, post)
    kept = kept_text(post)
    # Sentence punctuation glued to a URL's end is left out of the link, as documented (the raw text keeps it).
    written = WRITTEN_DATE.sub(" ", normalize(URL.sub(lambda m: trim_url(m.group()), text))[0])
    missing = {ch for ch in written if not ch.isspace() and ch not in SYNTAX and ch not in kept and ch.isprintable()}
    assert not missing, f"lost: {sorted(missing)[:5]}"


@given(any_text)
@example("\ud800『\udfff』(8/4\x00日経)について\n\x85\u2028記事")
def test_the_parser_never_raises_and_keeps_everything_on_any_string(text):
    assert_no_character_lost(text, parse(text))


@given(post_like)
def test_the_parser_never_raises_and_keeps_everything_on_post_like_text(text):
    assert_no_character_lost(text, parse(text))


@given(st.one_of(post_like, any_text))
def test_parsing_is_deterministic(text):
    assert parse(text) == parse(text)


def test_parsing_does_not_depend_on_the_process():
    """The same texts parse alike in processes with other hash seeds (set and dict order)."""
    texts = [SEED.read_text(encoding="utf-8"), "『題』(8/4日経)について\n8/4Reuters<A=B>本文\nhttps://x.com/a/status/1952347000000000000\n"]
    script = (
        "import datetime as dt, json, sys; from posts.ingest.parser import parse_post;"
        "print(json.dumps([parse_post(t, today=dt.date(2026, 11, 25)).to_dict() for t in json.load(sys.stdin)]))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], input=json.dumps(texts), capture_output=True, text=True, check=True,
                       cwd=SEED.parent.parent, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and json.loads(outputs.pop())[0]["title"]


# Decoding -------------------------------------------------------------------------------------------------------------------


def written_in(encoding: str):
    """Japanese text as a post would have it — a line of the seed post with generated text around it — limited to
    what `encoding` can write."""
    codec = codecs.lookup(encoding).name
    alphabet = st.characters(codec=None, exclude_categories=("Cs", "Cc", "Co", "Cn"), max_codepoint=0xFFFF)

    def writable(s: str) -> bool:
        try:
            return s.encode(codec).decode(codec) == s
        except UnicodeError:
            return False

    generated = st.text(alphabet.filter(writable), max_size=60)
    lines = st.sampled_from([line for line in SEED_LINES if writable(line) and not line.isascii()])
    return st.builds(lambda a, line, b, end: a + end + line + end + b, generated, lines, generated,
                     st.sampled_from(["\n", "\r\n", "\r"]))


def lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@given(text=written_in("utf-8"))
def test_utf8_round_trips(text):
    assert decode_post(text.encode("utf-8")) == (lf(text), "utf-8")


@given(text=written_in("utf-8"))
def test_utf8_with_bom_round_trips(text):
    assert decode_post(codecs.BOM_UTF8 + text.encode("utf-8")) == (lf(text), "utf-8-sig")


@given(text=written_in("utf-16"), endian=st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_round_trips(text, endian):
    bom = codecs.BOM_UTF16_LE if endian.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_post(bom + text.encode(endian)) == (lf(text), "utf-16")


@given(text=written_in("cp932"))
def test_cp932_round_trips(text):
    assert decode_post(text.encode("cp932")) == (lf(text), "cp932")


@given(text=written_in("euc_jp"))
def test_euc_jp_round_trips(text):
    assert decode_post(text.encode("euc_jp")) == (lf(text), "euc_jp")
