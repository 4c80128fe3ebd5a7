"""Build small DOCX packages from hand-written WordprocessingML, as Word, WPS and
LibreOffice write them, so reader tests do not depend on python-docx or on our own writer.

Parts are given as the *inner* XML of their root element (``w:body``, ``w:styles``,
``w:numbering``, ``w:comments``) with the usual ``w:``/``r:`` prefixes; the factory adds the
namespaces, content types and relationships. A part given as None is left out of the package.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
)
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PARTS = {  # part name -> (root element, content type, relationship type)
    "styles": ("w:styles", "wordprocessingml.styles+xml", "styles"),
    "numbering": ("w:numbering", "wordprocessingml.numbering+xml", "numbering"),
    "comments": ("w:comments", "wordprocessingml.comments+xml", "comments"),
}
_CT = "application/vnd.openxmlformats-officedocument."


def build_docx(path: Path, body: str, styles: str | None = None, numbering: str | None = None,
               comments: str | None = None) -> Path:
    """Write a DOCX at ``path`` and return the path."""
    parts = {"styles": styles, "numbering": numbering, "comments": comments}
    present = {name: xml for name, xml in parts.items() if xml is not None}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(present))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/_rels/document.xml.rels", _document_rels(present))
        archive.writestr("word/document.xml", _wrap("w:document", f"<w:body>{body}</w:body>"))
        for name, xml in present.items():
            archive.writestr(f"word/{name}.xml", _wrap(_PARTS[name][0], xml))
    return path


def build_case(folder: Path, dest: Path) -> Path:
    """A DOCX from a case folder: body.xml plus optional styles/numbering/comments.xml."""
    parts = {}
    for part in ("styles", "numbering", "comments"):
        file = folder / f"{part}.xml"
        parts[part] = file.read_text(encoding="utf-8") if file.exists() else None
    return build_docx(dest / f"{folder.name}.docx", (folder / "body.xml").read_text(encoding="utf-8"), **parts)


def _wrap(root: str, inner: str) -> str:
    return f"{_DECL}<{root} {NAMESPACES}>{inner}</{root}>"


_RELS = (
    f'{_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def _content_types(present: dict) -> str:
    overrides = "".join(
        f'<Override PartName="/word/{name}.xml" ContentType="{_CT}{_PARTS[name][1]}"/>' for name in present
    )
    return (
        f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{_CT}wordprocessingml.document.main+xml"/>'
        f"{overrides}</Types>"
    )


def _document_rels(present: dict) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_DOC_RELS}{_PARTS[name][2]}" Target="{name}.xml"/>'
        for i, name in enumerate(present, start=1)
    )
    return f'{_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'


# -- small builders for tests written in Python -----------------------------------------------
def para(text: str = "", style: str | None = None, num: tuple[int, int] | None = None,
         hidden_mark: bool = False) -> str:
    """A ``w:p`` with one run; ``num`` is (numId, ilvl)."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    if hidden_mark:
        ppr += "<w:rPr><w:vanish/></w:rPr>"
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{run}</w:p>"


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    """A ``w:lvl`` in the element order Word writes."""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{escape(text)}"/><w:lvlJc w:val="left"/></w:lvl>')


def numbering_xml(abstracts: dict[int, list[str]], nums: dict[int, int]) -> str:
    """``abstracts``: abstractNumId -> levels; ``nums``: numId -> abstractNumId."""
    out = "".join(f'<w:abstractNum w:abstractNumId="{a}">{"".join(lvls)}</w:abstractNum>'
                  for a, lvls in abstracts.items())
    out += "".join(f'<w:num w:numId="{n}"><w:abstractNumId w:val="{a}"/></w:num>' for n, a in nums.items())
    return out
