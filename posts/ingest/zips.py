"""A zip's central directory counted header by header, before zipfile reads it.

`zipfile.ZipFile` builds a ZipInfo for every header of the central directory
the moment it opens an archive, whatever the end record says their number is:
1.76 million folder entries under an end record that said 1 took a worker
from 60 MB to 935 MB. So the headers are counted here first, where zipfile
will read them, in constant memory, stopping as soon as there are more than
allowed; the end record's count is never read.

Where the directory is found follows zipfile (Python 3.11) step by step, so
that the count is of what zipfile would then read: the end record is the last
22 bytes if they are one with no comment, else the last `PK\\x05\\x06` in the
final 64 KB; a ZIP64 locator and end record sit just before it when present;
the directory ends where those records begin, and is as long as they say.
Its recorded offset is only compared with where it is: less is data prepended
to the zip (a self-extracting zip, which zipfile tolerates), more is a lie and
refused. Anything zipfile might read otherwise is refused too, and so is a
directory fat with long names, extra fields or comments, which zipfile would
hold in memory twice. tests/ingest/test_zips.py compares the count with what
zipfile reads; posts.ingest.uploads checks it again once zipfile has opened
the zip. Pure Python.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

END, END_SIZE = b"PK\x05\x06", 22
LOCATOR64, LOCATOR64_SIZE = b"PK\x06\x07", 20
END64, END64_SIZE = b"PK\x06\x06", 56
HEADER, HEADER_SIZE = b"PK\x01\x02", 46
TAIL = (1 << 16) + END_SIZE  # how far from the end zipfile looks for the end record
ENTRY_BYTES = 4096  # directory bytes an allowed entry: real names, extra fields and comments are far smaller


class UnsafeZip(Exception):
    """The zip is refused before it is opened; `str()` is the reason (Japanese, one line, without the zip's name)."""


@dataclass(frozen=True)
class Directory:
    start: int  # where zipfile reads the directory (its `start_dir`)
    size: int
    entries: int  # headers in it, folders included


def central_directory(stream: BinaryIO, max_entries: int) -> Directory:
    """The central directory zipfile would read, its headers counted; UnsafeZip past `max_entries` or if broken.

    Reads the end records and 46 bytes a header, whatever the archive's size.
    """
    location, record = _end_record(stream)
    record64 = _zip64_record(stream, location)
    if record64 is None:
        size, offset = struct.unpack("<LL", record[12:20])
        start = location - size
    else:
        size, offset = struct.unpack("<QQ", record64[40:56])
        start = location - LOCATOR64_SIZE - END64_SIZE - size
    if start < 0:
        raise UnsafeZip("ZIPとして読めません(目録の大きさが正しくありません)。")
    if offset > start:
        raise UnsafeZip("ZIPとして読めません(目録の位置が正しくありません)。")
    return Directory(start, size, _count_headers(stream, start, size, max_entries))


def _end_record(stream: BinaryIO) -> tuple[int, bytes]:
    """(where the end record is, its 22 bytes), found as zipfile finds it."""
    stream.seek(0, 2)
    file_size = stream.tell()
    if file_size < END_SIZE:
        raise UnsafeZip("ZIPとして読めません(終端レコードがありません)。")
    stream.seek(file_size - END_SIZE)
    record = stream.read(END_SIZE)
    if record[:4] == END and record[-2:] == b"\x00\x00":
        return file_size - END_SIZE, record
    tail_start = max(file_size - TAIL, 0)
    stream.seek(tail_start)
    tail = stream.read(TAIL)
    at = tail.rfind(END)
    if at < 0 or len(tail) - at < END_SIZE:
        raise UnsafeZip("ZIPとして読めません(終端レコードがありません)。")
    return tail_start + at, tail[at : at + END_SIZE]


def _zip64_record(stream: BinaryIO, location: int) -> bytes | None:
    """The ZIP64 end record zipfile would use: just before its locator, just before the end record."""
    at = location - LOCATOR64_SIZE
    if at < 0:
        return None
    stream.seek(at)
    locator = stream.read(LOCATOR64_SIZE)
    if locator[:4] != LOCATOR64:
        return None
    _, disk, _, disks = struct.unpack("<4sLQL", locator)
    if disk != 0 or disks > 1:
        raise UnsafeZip("分割されたZIPには対応していません。")
    if at < END64_SIZE:
        raise UnsafeZip("ZIPとして読めません(ZIP64の終端レコードがありません)。")
    stream.seek(at - END64_SIZE)
    record = stream.read(END64_SIZE)
    return record if record[:4] == END64 else None


def _count_headers(stream: BinaryIO, start: int, size: int, max_entries: int) -> int:
    """The headers zipfile reads from `start` until `size` bytes are used up, stopping past `max_entries`."""
    stream.seek(start)
    count = used = 0
    while used < size:
        header = stream.read(HEADER_SIZE) if size - used >= HEADER_SIZE else b""
        if len(header) != HEADER_SIZE or header[:4] != HEADER:
            raise UnsafeZip("ZIPとして読めません(目録が壊れています)。")
        count += 1
        if count > max_entries:
            raise UnsafeZip(f"中のファイルが多すぎます(フォルダーも数えて{max_entries}件までです)。")
        name, extra, comment = struct.unpack("<HHH", header[28:34])
        used += HEADER_SIZE + name + extra + comment
        if used > max_entries * ENTRY_BYTES:  # zipfile would hold it all in memory, twice
            raise UnsafeZip(f"ZIPの目録が大きすぎます({max_entries * ENTRY_BYTES // 1024} KBまでです)。")
        stream.seek(name + extra + comment, 1)
    if used != size:
        raise UnsafeZip("ZIPとして読めません(目録の最後の項目が途中で切れています)。")
    return count
