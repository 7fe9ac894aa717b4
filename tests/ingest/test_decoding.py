import codecs
import io

import pytest

from posts.ingest.decoding import RefusedFile, decode_post, read_limited

TEXT = "『停戦の行方』(8/4日経 山田)について\n\n8/4Reuters<Ceasefire=停戦>\n本文です。ｶﾀｶﾅと①も。\n"
PLAIN = "『停戦の行方』(8/4日経 山田)について\n\n本文です。漢字とかなとカタカナ。\n"


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("utf-8", TEXT),
        ("utf-8-sig", TEXT),
        ("utf-16", TEXT),
        ("utf-16-le", TEXT),
        ("utf-16-be", TEXT),
        ("cp932", TEXT),
        ("shift_jis", PLAIN),
        ("euc_jp", PLAIN),
        ("iso2022_jp", PLAIN),
    ],
)
def test_it_decodes_each_accepted_encoding(encoding, text):
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    decoded, _ = decode_post(data)
    assert decoded == text


def test_it_turns_crlf_and_cr_into_lf():
    decoded, _ = decode_post("一行目\r\n二行目\r三行目\n四行目".encode("cp932"))
    assert decoded == "一行目\n二行目\n三行目\n四行目"


def test_it_keeps_other_characters_as_written():
    text = "全角ＦＢＩ\u200bゼロ幅\u2028改行区切り\t\x0bタブ"
    assert decode_post(text.encode())[0] == text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "空のファイルです。"),
        (b" \r\n\t\n", "空のファイルです。"),
        ("\ufeff\n".encode("utf-8"), "空のファイルです。"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "テキストの投稿ではありません(PNG画像です)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "テキストの投稿ではありません(JPEG画像です)"),
        (b"PK\x03\x04\x14\x00", "テキストの投稿ではありません(ZIPファイルです)"),
        ("本文\x00です".encode(), "テキストの投稿ではありません(NULバイトを含む"),
        ("本文\x00です".encode("utf-16"), "テキストの投稿ではありません(NUL文字を含む"),
        (bytes(range(0x80, 0x100)) * 4, "文字コードを読み取れません"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "文字コードを読み取れません: BOM付きUTF-8で始まります"),
    ],
)
def test_it_refuses_what_cannot_be_a_post_with_a_one_line_reason(data, reason):
    with pytest.raises(RefusedFile) as refusal:
        decode_post(data)
    assert str(refusal.value).startswith(reason)
    assert "\n" not in str(refusal.value)


class EndlessStream(io.RawIOBase):
    """A stream that never ends, counting what it hands out."""

    def __init__(self):
        self.given = 0

    def read(self, size=-1):
        chunk = b"a" * (size if size and size > 0 else 65536)
        self.given += len(chunk)
        return chunk


def test_the_size_limit_is_checked_while_reading():
    stream = EndlessStream()
    with pytest.raises(RefusedFile, match="大きすぎます: 上限は1 MBです。"):
        read_limited(stream, max_bytes=1024 * 1024)
    assert stream.given <= 1024 * 1024 + 64 * 1024


def test_a_file_at_the_limit_is_read_whole():
    assert read_limited(io.BytesIO(b"x" * 1000), max_bytes=1000) == b"x" * 1000


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp"])
def test_every_seed_paragraph_written_in_a_legacy_encoding_reads_back(seed_text, encoding):
    # Short texts are where encodings are hardest to tell apart: try each paragraph alone.
    tried = 0
    for paragraph in filter(str.strip, seed_text.split("\n")):
        for text in (paragraph, f"『題』(8/4日経 山田)について\n\n{paragraph}"):
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue  # the seed has characters this encoding cannot hold
            tried += 1
            assert decode_post(data)[0] == text  # ASCII-only text reads as UTF-8, which is the same
    assert tried > 400
