"""The DOCX package's zip writer writes exactly the bytes zipfile writes (given the same deflate),
cached members included, and any zip reader reads them."""

from __future__ import annotations

import io
import zipfile
import zlib
from unittest import mock

import pytest

from contractgen.writers.docx import package
from contractgen.writers.docx.package import FIXED_DATE, write_zip


class _SameDeflate:
    """zlib for zipfile, with the writer's deflate (ISA-L's, or zlib's without python-isal)."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level, method, wbits):
        return package._compressor.compressobj(level, method, wbits)


def zipfile_bytes(members: dict) -> bytes:
    """What zip_parts wrote with zipfile before it wrote the layout itself."""
    buffer = io.BytesIO()
    with mock.patch.object(zipfile, "zlib", _SameDeflate()), zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data, compresslevel=1)
    return buffer.getvalue()


CASES = {
    "text": {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:t>第一条 服务内容</w:t>" * 500},
    "bytes": {"word/media/image1.png": bytes(range(256)) * 40, "word/styles.xml": b"<w:styles/>"},
    "empty member": {"a.xml": "", "b.xml": "x"},
    "non-ascii name": {"word/media/图片.png": b"\x89PNG", "docProps/app.xml": "<Properties/>"},
    "large member": {"word/document.xml": "".join(f"<w:p>{i}</w:p>" for i in range(20000))},
}


@pytest.mark.parametrize("members", CASES.values(), ids=CASES.keys())
def test_zip_bytes_equal_zipfile(members):
    package._SEEN.clear()
    first = write_zip(members)
    assert first == zipfile_bytes(members)
    assert write_zip(members) == first  # members compressed once and taken from the cache


def test_a_cached_member_is_the_one_with_that_name_and_text():
    package._SEEN.clear()
    write_zip({"a.xml": "<same/>", "b.xml": "<same/>"})
    changed = {"a.xml": "<other/>", "b.xml": "<same/>"}
    assert write_zip(changed) == zipfile_bytes(changed)
    with zipfile.ZipFile(io.BytesIO(write_zip(changed))) as archive:
        assert archive.testzip() is None
        assert archive.read("a.xml") == b"<other/>"


def test_the_cache_stays_bounded():
    package._SEEN.clear()
    for i in range(package._SEEN_LIMIT + 10):
        write_zip({"docProps/core.xml": f"<core>{i}</core>"})
    assert len(package._SEEN) <= package._SEEN_LIMIT


def test_the_deflate_is_isa_l_and_any_inflate_reads_it():
    """python-isal is a dependency: its deflate is what the writer uses, and zlib's inflate
    (Word's, LibreOffice's, Python's) reads every member back."""
    from isal import isal_zlib

    assert package._compressor is isal_zlib
    members = CASES["large member"]
    with zipfile.ZipFile(io.BytesIO(write_zip(members))) as archive:
        assert archive.testzip() is None
        assert archive.read("word/document.xml").decode("utf-8") == members["word/document.xml"]
