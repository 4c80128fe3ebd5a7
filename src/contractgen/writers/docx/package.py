"""The OPC package: content types, relationships and a deterministic zip.

Same parts in, same bytes out: entries are written in a fixed order with a fixed
timestamp and permissions, so building a contract twice gives one SHA-256.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

from .xml import XML_DECL

try:  # ISA-L's deflate: a zip member in a third of zlib's time at the same size (benchmarks/zip_level.py)
    from isal import isal_zlib as _compressor
except ImportError:  # a platform python-isal has no wheel for: the same layout, zlib's deflate
    _compressor = zlib

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

CONTENT_TYPES = {
    "word/document.xml": f"{WML}.document.main+xml",
    "word/styles.xml": f"{WML}.styles+xml",
    "word/numbering.xml": f"{WML}.numbering+xml",
    "word/settings.xml": f"{WML}.settings+xml",
    "word/fontTable.xml": f"{WML}.fontTable+xml",
    "word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
HEADER_TYPE = f"{WML}.header+xml"
FOOTER_TYPE = f"{WML}.footer+xml"
MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
               "emf": "image/x-emf", "wmf": "image/x-wmf", "bmp": "image/bmp", "tiff": "image/tiff",
               "svg": "image/svg+xml"}

ROOT_RELS = (
    f'{XML_DECL}<Relationships xmlns="{REL_NS}">'
    f'<Relationship Id="rId1" Type="{OFFICE_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{OFFICE_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>")


def relationships(rels: list[tuple[str, str, str]]) -> str:
    """A .rels part from (id, type suffix, target) triples."""
    body = "".join(f'<Relationship Id="{rid}" Type="{OFFICE_REL}/{kind}" Target="{target}"/>'
                   for rid, kind, target in rels)
    return f'{XML_DECL}<Relationships xmlns="{REL_NS}">{body}</Relationships>'


def content_types(names: list[str]) -> str:
    overrides = []
    for name in names:
        kind = CONTENT_TYPES.get(name)
        if kind is None and name.startswith("word/header"):
            kind = HEADER_TYPE
        elif kind is None and name.startswith("word/footer"):
            kind = FOOTER_TYPE
        if kind:
            overrides.append(f'<Override PartName="/{name}" ContentType="{kind}"/>')
    exts = sorted({n.rsplit(".", 1)[-1].lower() for n in names if n.startswith("word/media/")})
    defaults = "".join(f'<Default Extension="{e}" ContentType="{MEDIA_TYPES[e]}"/>'
                       for e in exts if e in MEDIA_TYPES)
    return (f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{defaults}{"".join(overrides)}</Types>')


def zip_parts(parts: dict[str, str | bytes]) -> bytes:
    """Zip the parts with ``[Content_Types].xml`` and the root rels first, the rest sorted."""
    names = sorted(parts)
    members = {"[Content_Types].xml": content_types(names), "_rels/.rels": ROOT_RELS}
    members.update((name, parts[name]) for name in names)
    return write_zip(members)


# The byte layout zipfile writes for these members (deflated, level 1, fixed date, mode
# 0644, no extra fields), written directly: a batch writes thousands of packages whose
# styles, settings, theme, fonts and footers are the same, and a member seen before is
# not compressed again. tests/test_docx_zip.py holds it to zipfile's bytes (zipfile
# given the same deflate).
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # zipfile's DEFAULT_VERSION and DEFLATED_VERSION
_DOS_TIME = 0  # FIXED_DATE's time, 00:00:00
_DOS_DATE = (FIXED_DATE[0] - 1980) << 9 | FIXED_DATE[1] << 5 | FIXED_DATE[2]
_MODE = 0o644 << 16
LEVEL = 1  # benchmarks/zip_level.py: ISA-L's 1 is as small as zlib's 1, its 0 a fifth larger
_SEEN: dict[tuple[str, str | bytes], tuple[int, int, bytes]] = {}
_SEEN_LIMIT = 256
_SEEN_SIZE = 32768


def _deflated(name: str, data: str | bytes) -> tuple[int, int, bytes]:
    """(CRC-32, uncompressed size, deflated bytes) of a member, from the cache when seen."""
    key = (name, data) if len(data) < _SEEN_SIZE else None  # the parts that repeat are small
    hit = _SEEN.get(key) if key else None
    if hit is not None:
        return hit
    raw = data.encode("utf-8") if isinstance(data, str) else data
    packer = _compressor.compressobj(LEVEL, _compressor.DEFLATED, -15)
    member = (zlib.crc32(raw), len(raw), packer.compress(raw) + packer.flush())
    if key:
        if len(_SEEN) >= _SEEN_LIMIT:  # parts of one contract only (core.xml): start again
            _SEEN.clear()
        _SEEN[key] = member
    return member


def write_zip(members: dict[str, str | bytes]) -> bytes:
    """A zip archive of ``members`` in order, byte for byte what :mod:`zipfile` writes."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data in members.items():
        crc, size, packed = _deflated(name, data)
        encoded = name.encode("ascii") if name.isascii() else name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
                             crc, len(packed), size, len(encoded), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, 0, _VERSION, 0, flags, zipfile.ZIP_DEFLATED,
                                     _DOS_TIME, _DOS_DATE, crc, len(packed), size, len(encoded), 0, 0, 0, 0,
                                     _MODE, offset) + encoded)
        out += (header, encoded, packed)
        offset += len(header) + len(encoded) + len(packed)
    directory = b"".join(central)
    out += (directory, _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0))
    return b"".join(out)
