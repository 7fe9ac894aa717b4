"""A zip's central directory counted before zipfile opens it (posts/ingest/zips.py): no database.

The count never reads the end record's number, counts folders, and agrees with
what zipfile then reads, or refuses the zip: checked on the attacker's tricks
one by one, and on many generated zips with their end records scrambled.
"""

import io
import struct
import zipfile
from contextlib import contextmanager, nullcontext
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posts.ingest.zips import ENTRY_BYTES, UnsafeZip, central_directory

END, LOCATOR64, END64 = b"PK\x05\x06", b"PK\x06\x07", b"PK\x06\x06"


@contextmanager
def writing_zip64():
    """zipfile writes ZIP64 end records past 65,535 entries; here past 0, so that a small zip has them."""
    with mock.patch.object(zipfile, "ZIP_FILECOUNT_LIMIT", 0):
        yield


def zip_bytes(files=("a.txt",), folders=(), comment=b"", zip64=False) -> bytearray:
    buffer = io.BytesIO()
    with writing_zip64() if zip64 else nullcontext():
        with zipfile.ZipFile(buffer, "w") as archive:
            for folder in folders:
                archive.mkdir(folder)
            for name in files:
                archive.writestr(name, b"x")
            archive.comment = comment
    return bytearray(buffer.getvalue())


def end_at(data: bytes) -> int:
    return data.rfind(END)


def say_one_entry(data: bytearray) -> bytearray:
    """The attacker's end record (and ZIP64 record, if any): 1 entry, whatever the directory holds."""
    at = end_at(data)
    data[at + 8 : at + 12] = struct.pack("<HH", 1, 1)
    at64 = data.rfind(END64)
    if at64 >= 0:
        data[at64 + 24 : at64 + 40] = struct.pack("<QQ", 1, 1)
    return data


def zipfile_reads(data: bytes) -> tuple[int, int]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive.start_dir, len(archive.filelist)


def refusal(data: bytes, max_entries: int = 400) -> str:
    with pytest.raises(UnsafeZip) as refused:
        central_directory(io.BytesIO(bytes(data)), max_entries)
    return str(refused.value)


@pytest.mark.parametrize("zip64", [False, True])
def test_folders_count_and_the_end_records_number_is_never_read(zip64):
    data = say_one_entry(zip_bytes(folders=[f"d{n}" for n in range(3_000)], zip64=zip64))
    assert zipfile_reads(data)[1] == 3_001  # what zipfile would build, though the end record says 1

    assert refusal(data) == "中のファイルが多すぎます(フォルダーも数えて400件までです)。"
    directory = central_directory(io.BytesIO(bytes(data)), 5_000)
    assert (directory.start, directory.entries) == zipfile_reads(data)


def test_a_self_extracting_zip_is_counted_where_zipfile_reads_it():
    data = b"MZ\x90\x00 a stub program " * 50 + zip_bytes(files=["a.txt", "b.txt"], folders=["d"])
    directory = central_directory(io.BytesIO(data), 10)
    assert (directory.start, directory.entries) == zipfile_reads(data) == (directory.start, 3)


def test_a_comment_holding_a_false_end_record_is_read_as_zipfile_reads_it():
    real = zip_bytes(files=["a.txt", "b.txt"])
    fake = END + struct.pack("<4H2LH", 0, 0, 1, 1, 46, 0, 0)  # "one entry of 46 bytes, just before me"
    data = zip_bytes(files=["a.txt", "b.txt"], comment=b"note" + fake)
    assert len(data) == len(real) + 4 + len(fake)
    # zipfile takes the last record, which starts the directory inside the real end record: both refuse it
    assert "ZIPとして読めません" in refusal(data)
    with pytest.raises(zipfile.BadZipFile):
        zipfile_reads(data)


@pytest.mark.parametrize(
    "field, value, reason",
    [
        (12, 0xFFFF_FFFF, "目録の大きさが正しくありません"),  # a directory larger than the file
        (16, 0xFFFF_FFFF, "目録の位置が正しくありません"),  # an offset past where the directory is
        (12, 46 * 3, "目録が壊れています"),  # smaller than it is: read from the middle of a header
    ],
)
def test_a_directory_size_or_offset_that_lies_is_refused(field, value, reason):
    data = zip_bytes(files=["a.txt", "b.txt", "c.txt"])
    at = end_at(data)
    data[at + field : at + field + 4] = struct.pack("<L", value)
    assert reason in refusal(data)


def test_an_entry_running_past_the_directorys_recorded_size_is_refused():
    data = zip_bytes(files=["a.txt", "b.txt"])
    last = data.rfind(b"PK\x01\x02")
    data[last + 32 : last + 34] = struct.pack("<H", 10)  # a comment that would run into the end record
    assert refusal(data) == "ZIPとして読めません(目録の最後の項目が途中で切れています)。"


def test_a_directory_fat_with_comments_is_refused_before_zipfile_holds_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("a.txt")
        info.comment = b"c" * 60_000
        archive.writestr(info, b"x")
    assert refusal(buffer.getvalue(), max_entries=4) == f"ZIPの目録が大きすぎます({4 * ENTRY_BYTES // 1024} KBまでです)。"


def test_a_split_zip_and_files_that_are_no_zip_are_refused():
    data = zip_bytes(zip64=True)
    locator = data.rfind(LOCATOR64)
    data[locator + 4 : locator + 8] = struct.pack("<L", 1)
    assert refusal(data) == "分割されたZIPには対応していません。"
    assert "終端レコードがありません" in refusal(b"PK\x03\x04 not really")
    assert "終端レコードがありません" in refusal(b"")


# Generated zips, scrambled: the count agrees with zipfile or the zip is refused --------------------------------------

FIELDS = {  # (offset from the end record, struct format) of what an attacker may rewrite
    "entries": (10, "<H"), "size": (12, "<L"), "offset": (16, "<L"), "comment length": (20, "<H"),
}
FIELDS64 = {"entries": (32, "<Q"), "size": (40, "<Q"), "offset": (48, "<Q")}

scrambles = st.lists(
    st.tuples(st.sampled_from(["end", "end64"]), st.sampled_from(list(FIELDS)),
              st.one_of(st.integers(0, 600), st.sampled_from([0xFFFF, 0xFFFF_FFFF, 2**63]))),
    max_size=3,
)


@given(
    files=st.integers(0, 4),
    folders=st.integers(0, 30),
    zip64=st.booleans(),
    prefix=st.one_of(st.binary(max_size=300), st.just(bytes(zip_bytes(files=["inner.txt"])))),
    comment=st.binary(max_size=60),
    fake_end=st.one_of(st.none(), st.tuples(st.integers(0, 0xFFFF), st.integers(0, 2_000), st.integers(0, 2_000))),
    suffix=st.binary(max_size=40),
    changes=scrambles,
)
def test_the_count_agrees_with_zipfile_or_the_zip_is_refused(files, folders, zip64, prefix, comment, fake_end, suffix,
                                                             changes):
    if fake_end is not None:  # a false end record in the comment
        comment += END + struct.pack("<4H2LH", 0, 0, fake_end[0], fake_end[0], fake_end[1], fake_end[2], 0)
    data = zip_bytes(files=[f"{n}.txt" for n in range(files)], folders=[f"d{n}" for n in range(folders)],
                     comment=comment, zip64=zip64)
    at = len(data) - len(comment) - 22  # the real end record
    at64 = data.rfind(END64, 0, at)
    for record, field, value in changes:
        if record == "end64" and at64 >= 0 and field in FIELDS64:
            base, (where, form) = at64, FIELDS64[field]
        else:
            base, (where, form) = at, FIELDS[field]
        size = struct.calcsize(form)
        data[base + where : base + where + size] = struct.pack(form, value % 256**size)
    data = prefix + data + suffix

    try:
        directory = central_directory(io.BytesIO(data), 20)
    except UnsafeZip:
        return  # refused before zipfile
    try:
        read = zipfile_reads(data)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, UnicodeDecodeError):
        return  # zipfile refuses it too, having read no more than was counted
    assert read == (directory.start, directory.entries)
    assert directory.entries <= 20
