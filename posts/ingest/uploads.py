"""Files uploaded to the admin's importer, read safely into (name, bytes) without touching the disk.

A `.zip` is read member by member in memory: members are counted and their
sizes measured while they are decompressed (never trusted from the archive),
and an archive with unsafe names, links, encrypted or nested archives is
refused whole. Each refusal is a one-line reason.
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from posts.ingest.decoding import CHUNK, RefusedFile, read_limited, size_text

ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".lzh", ".cab")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!")
NOT_TEXT = "取り込みません: .txt のファイルではありません。"


@dataclass(frozen=True)
class Limits:
    file_bytes: int  # one post file
    files: int  # files in one batch
    zip_bytes: int  # all members of a zip, decompressed


@dataclass(frozen=True)
class Upload:
    """One file as read: its bytes, or the reason it was refused."""

    name: str
    size: int
    data: bytes | None = None
    error: str = ""


class RefusedUpload(Exception):
    """The whole upload is refused; `str()` is the reason."""


def read_uploads(files: Iterable, pasted: str, limits: Limits) -> Iterator[Upload]:
    """Every post in the uploaded files (a `.zip` opened) and the pasted text, in order.

    `files` are Django UploadedFiles. Raises RefusedUpload for a batch that
    cannot be read at all (too many files, an unsafe or broken zip).
    """
    count = 0
    for upload in _uploads(files, pasted, limits):
        count += 1
        if count > limits.files:
            raise RefusedUpload(f"ファイルが多すぎます: 一度に{limits.files}件までです。")
        yield upload


def _uploads(files: Iterable, pasted: str, limits: Limits) -> Iterator[Upload]:
    for file in files:
        name = file.name or "(名前なし)"
        zipped = name.lower().endswith(".zip")
        if getattr(file, "too_large", False):
            limit = limits.zip_bytes if zipped else limits.file_bytes
            yield Upload(name, file.size, error=too_large(limit))
        elif zipped:
            yield from read_zip(file, name, limits)
        else:
            yield _read(name, file, file.size, limits)
    if pasted.strip():
        data = pasted.encode("utf-8")
        if len(data) > limits.file_bytes:
            yield Upload("貼り付けたテキスト", len(data), error=too_large(limits.file_bytes))
        else:
            yield Upload("貼り付けたテキスト", len(data), data)


def too_large(limit: int) -> str:
    return f"大きすぎます: 上限は{size_text(limit)}です。"


def read_zip(stream: BinaryIO, zip_name: str, limits: Limits) -> Iterator[Upload]:
    entries = _entry_count(stream)
    if entries is None or entries > limits.files * 2:
        shown = "数えきれないほど" if entries is None else f"{entries}件"
        raise RefusedUpload(f"{zip_name}: 中のファイルが多すぎます({shown})。")
    archive = _open_zip(stream, zip_name)
    with archive:
        members = archive.infolist()
        for info in members:
            _check_member(zip_name, info)
        total = 0
        for info in members:
            if info.is_dir():
                continue
            name = f"{zip_name}/{info.filename}"
            if not info.filename.lower().endswith(".txt"):
                yield Upload(name, info.file_size, error=NOT_TEXT)
                continue
            try:
                with archive.open(info) as member:
                    data = _read_member(member, limits.file_bytes, limits.zip_bytes - total)
            except _TooLarge:
                yield Upload(name, info.file_size, error=too_large(limits.file_bytes))
                continue
            except _ZipTooLarge:
                raise RefusedUpload(f"{zip_name}: 展開後の合計が上限({size_text(limits.zip_bytes)})を超えます。") from None
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
                raise RefusedUpload(f"{zip_name}: {info.filename} を展開できません({error})") from None
            total += len(data)
            if data.startswith(ARCHIVE_MAGIC):
                raise RefusedUpload(f"{zip_name}: 中に別の圧縮ファイルがあります({info.filename})。")
            yield Upload(name, len(data), data)


def _entry_count(stream: BinaryIO) -> int | None:
    """The number of members a zip says it has (its end record), read before its directory is.

    None when the record cannot be found or says "more than 65,535" (ZIP64):
    more than any batch may hold either way.
    """
    stream.seek(0, 2)
    size = stream.tell()
    tail_size = min(size, 65_535 + 22)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    stream.seek(0)
    if at < 0 or at + 12 > len(tail):
        return 0  # not a zip: ZipFile says so
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    return None if count == 0xFFFF else count


def _open_zip(stream: BinaryIO, zip_name: str) -> zipfile.ZipFile:
    """The archive, its names read as CP932 when not flagged UTF-8 (as Japanese Windows writes them)."""
    for encoding in ("cp932", None):
        try:
            stream.seek(0)
            return zipfile.ZipFile(stream, metadata_encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise RefusedUpload(f"{zip_name}: ZIPとして読めません({error})") from None
    raise RefusedUpload(f"{zip_name}: ZIPのファイル名を読めません。")


def _check_member(zip_name: str, info: zipfile.ZipInfo) -> None:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in path.parts:
        raise RefusedUpload(f"{zip_name}: 危険なファイル名があります({info.filename})。")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise RefusedUpload(f"{zip_name}: リンクが含まれています({info.filename})。")
    if info.flag_bits & 0x1:
        raise RefusedUpload(f"{zip_name}: 暗号化されたファイルがあります({info.filename})。")
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        raise RefusedUpload(f"{zip_name}: 中に別の圧縮ファイルがあります({info.filename})。")


class _TooLarge(Exception):
    pass


class _ZipTooLarge(Exception):
    pass


def _read_member(member: BinaryIO, file_limit: int, zip_left: int) -> bytes:
    """A member's bytes, counted as they are decompressed."""
    chunks, size = [], 0
    while chunk := member.read(CHUNK):
        size += len(chunk)
        if size > zip_left:
            raise _ZipTooLarge
        if size > file_limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _read(name: str, file, size: int, limits: Limits) -> Upload:
    try:
        file.seek(0)
        return Upload(name, size, read_limited(file, limits.file_bytes))
    except RefusedFile:  # its only refusal is the size, said here in Japanese
        return Upload(name, size, error=too_large(limits.file_bytes))
