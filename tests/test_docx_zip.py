"""The DOCX package's zip writer writes exactly the bytes zipfile writes, cached members included."""

from __future__ import annotations

import io
import zipfile

import pytest

from contractgen.writers.docx import package
from contractgen.writers.docx.package import FIXED_DATE, write_zip


def zipfile_bytes(members: dict) -> bytes:
    """What zip_parts wrote with zipfile before it wrote the layout itself."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
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
