"""The OPC package: content types, relationships and a deterministic zip.

Same parts in, same bytes out: entries are written in a fixed order with a fixed
timestamp and permissions, so building a contract twice gives one SHA-256.
"""

from __future__ import annotations

import io
import zipfile

from .xml import XML_DECL

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
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data,
                             compresslevel=1)  # speed over a few KB
    return buffer.getvalue()
