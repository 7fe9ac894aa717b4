"""Files uploaded to the admin's importer, read safely into (name, bytes) without touching the disk.

A `.zip` is read member by member in memory: its central directory's entries
are counted before zipfile opens it (posts.ingest.zips), members' sizes are
measured while they are decompressed (never trusted from the archive), and an
archive with unsafe names, links, encrypted or nested archives is refused
whole. Each refusal is a one-line reason in Japanese; what zipfile said goes
to the log.
"""

from __future__ import annotations

import logging
import lzma
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from posts.ingest.decoding import CHUNK, RefusedFile, read_limited, size_text
from posts.ingest.zips import Directory, UnsafeZip, central_directory

logger = logging.getLogger(__name__)

# The names an upload gets when it has none of its own (posts/ingest/identity.py: they identify no post).
PASTED_NAME = "貼り付けたテキスト"
UNNAMED = "(名前なし)"
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".lzh", ".cab")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!")
NOT_TEXT = "取り込みません: .txt のファイルではありません。"
_UNREADABLE = (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, lzma.LZMAError)
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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
        name = file.name or UNNAMED
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
            yield Upload(PASTED_NAME, len(data), error=too_large(limits.file_bytes))
        else:
            yield Upload(PASTED_NAME, len(data), data)


def too_large(limit: int) -> str:
    return f"大きすぎます: 上限は{size_text(limit)}です。"


def read_zip(stream: BinaryIO, zip_name: str, limits: Limits) -> Iterator[Upload]:
    """The zip's members, each a post or the reason it is skipped; RefusedUpload for a zip refused whole.

    Folders count against the number of entries allowed (twice the files of a
    batch), since each costs zipfile as much memory as a file.
    """
    shown = one_line(zip_name)
    try:
        directory = central_directory(stream, limits.files * 2)
    except UnsafeZip as refusal:
        raise RefusedUpload(f"{shown}: {refusal}") from None
    archive = _open_zip(stream, shown, directory)
    with archive:
        members = archive.infolist()
        for info in members:
            _check_member(shown, info)
        if all(info.is_dir() for info in members):
            raise RefusedUpload(f"{shown}: 中にファイルがありません。")
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
                raise RefusedUpload(f"{shown}: 展開後の合計が上限({size_text(limits.zip_bytes)})を超えます。") from None
            except (*_UNREADABLE, NotImplementedError, RuntimeError) as error:
                logger.warning("zip member unreadable: %r in %r: %r", info.filename, zip_name, error)
                why = "対応していない圧縮方式です" if isinstance(error, NotImplementedError) else "壊れています"
                raise RefusedUpload(f"{shown}: {one_line(info.filename)} を展開できません({why})。") from None
            total += len(data)
            if data.startswith(ARCHIVE_MAGIC):
                raise RefusedUpload(f"{shown}: 中に別の圧縮ファイルがあります({one_line(info.filename)})。")
            yield Upload(name, len(data), data)


def one_line(name: str) -> str:
    """A name as a refusal shows it: line breaks and other control characters, which a zip may hold, as "?"."""
    return _LINE_BREAKING.sub("?", name)


def _open_zip(stream: BinaryIO, shown: str, directory: Directory) -> zipfile.ZipFile:
    """The archive, its names read as CP932 when not flagged UTF-8 (as Japanese Windows writes them).

    zipfile must have read the directory that was counted: were it ever to find
    another (a zipfile that looks elsewhere), the zip is refused.
    """
    for encoding in ("cp932", None):
        try:
            stream.seek(0)
            archive = zipfile.ZipFile(stream, metadata_encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (*_UNREADABLE, NotImplementedError) as error:
            logger.warning("zip unreadable: %r: %r", shown, error)
            raise RefusedUpload(f"{shown}: ZIPとして読めません(壊れているか、対応していない形式です)。") from None
        if (archive.start_dir, len(archive.filelist)) != (directory.start, directory.entries):
            archive.close()
            logger.error("zipfile read another directory than counted in %r: %r", shown, directory)
            raise RefusedUpload(f"{shown}: ZIPとして読めません(目録が数えたものと違います)。")
        return archive
    raise RefusedUpload(f"{shown}: ZIPのファイル名を読めません。")


def _check_member(shown: str, info: zipfile.ZipInfo) -> None:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    member = one_line(info.filename)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in path.parts:
        raise RefusedUpload(f"{shown}: 危険なファイル名があります({member})。")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise RefusedUpload(f"{shown}: リンクが含まれています({member})。")
    if info.flag_bits & 0x1:
        raise RefusedUpload(f"{shown}: 暗号化されたファイルがあります({member})。")
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        raise RefusedUpload(f"{shown}: 中に別の圧縮ファイルがあります({member})。")


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
