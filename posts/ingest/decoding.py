"""Bytes to text, in one place, before the parser sees anything.

Accepts UTF-8 (with or without BOM), UTF-16 with a BOM, CP932/Shift_JIS,
EUC-JP and ISO-2022-JP; turns CRLF and CR into LF. Everything else is refused
with a one-line reason in Japanese (`RefusedFile`). Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from charset_normalizer import from_bytes

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
CHUNK = 64 * 1024
_HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]")
EMPTY = "空のファイルです。"

_MAGIC = (
    (b"\x89PNG", "PNG画像"),
    (b"\xff\xd8\xff", "JPEG画像"),
    (b"GIF8", "GIF画像"),
    (b"%PDF", "PDF文書"),
    (b"PK\x03\x04", "ZIPファイル"),
    (b"\x1f\x8b", "gzipファイル"),
    (b"RIFF", "RIFFファイル(WebP・WAV・AVI)"),
    (b"\x7fELF", "実行ファイル"),
)


class RefusedFile(Exception):
    """A file that cannot be a post; `str()` is the one-line reason, in Japanese."""


def read_limited(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read the whole stream, refusing it as soon as it passes `max_bytes`."""
    chunks, size = [], 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise RefusedFile(f"大きすぎます: 上限は{size_text(max_bytes)}です。")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_post(data: bytes) -> tuple[str, str]:
    """(text with LF line ends, the encoding it was read as); raises RefusedFile."""
    if not data.strip():
        raise RefusedFile(EMPTY)
    text, encoding = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise RefusedFile(EMPTY)
    if "\x00" in text:
        raise RefusedFile("テキストの投稿ではありません(NUL文字を含むバイナリファイルです)。")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", "BOM付きUTF-8"), "utf-8-sig"
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            return _strict(data, "utf-16", "UTF-16"), "utf-16"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise RefusedFile(f"テキストの投稿ではありません({kind}です)。")
    if b"\x00" in data:
        raise RefusedFile("テキストの投稿ではありません(NULバイトを含むバイナリファイルです)。")
    if b"\x1b$" in data or b"\x1b(" in data:
        # ISO-2022-JP is 7-bit and would also pass as UTF-8: its escapes give it away.
        try:
            return data.decode("iso2022_jp"), "iso2022_jp"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = {}
    for encoding in ("cp932", "euc_jp"):
        try:
            readings[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            pass
    if len(readings) > 1:
        # Both read the bytes. EUC-JP read as CP932 turns into half-width katakana;
        # when that does not tell them apart, charset-normalizer judges.
        oddness = {encoding: len(_HALF_WIDTH_KANA.findall(text)) for encoding, text in readings.items()}
        if oddness["cp932"] != oddness["euc_jp"]:
            readings = {min(oddness, key=oddness.get): None}
        else:
            best = from_bytes(data, cp_isolation=list(readings), preemptive_behaviour=False).best()
            readings = {best.encoding if best is not None and best.encoding in readings else "cp932": None}
    if readings:
        encoding = next(iter(readings))
        return data.decode(encoding), encoding
    raise RefusedFile("文字コードを読み取れません: UTF-8、UTF-16、Shift_JIS(CP932)、EUC-JP、ISO-2022-JPのどれでもありません。")


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise RefusedFile(f"文字コードを読み取れません: {label}で始まりますが、{error.start}バイト目が{label}として正しくありません。") from None


def size_text(n: int) -> str:
    """A size limit in words: `5 MB`, `512 KB`, `100バイト`."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n / 1024:g} KB" if n >= 1024 else f"{n}バイト"
