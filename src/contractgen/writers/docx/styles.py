"""``word/styles.xml``: the named paragraph styles every generated contract uses.

Style ids are stable (a reference DOCX may override any of them by id); headings use
Word's built-in "heading 1…4" names so a TOC field with ``\\o`` finds them in Word and
LibreOffice maps them to its own outline headings. The styles that number clauses carry
their list in ``w:numPr`` (see :mod:`.numbering`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...model import Clause
from ...numbering import get_scheme
from ...wordml import W_NS
from .xml import XML_DECL, attr

# Paragraph.style hints from the model -> style ids.
HINT_STYLES = {"body": "BodyText", "title": "Title", "center": "Center", "right": "Right",
               "note": "Note"}
# A part's title is "heading 1"; a clause of level n with a title is "heading n+1".
PART_STYLE = "Heading1"
CLAUSE_HEADING_STYLES = {1: "Heading2", 2: "Heading3", 3: "Heading4"}
CLAUSE_STYLE = "Clause"  # a numbered clause without a title: its number, then its text
ATTACHMENT_HEADING_STYLE = "AttachmentHeading"
ATTACHMENT_SECTION_STYLE = "AttachmentSection"

# (style id, numId, ilvl) of every style that carries a list
StyleNumbering = tuple[tuple[str, int, int], ...]


def clause_style(part_kind: str, clause: Clause) -> str:
    """The paragraph style of a numbered clause's first paragraph."""
    if not clause.title:
        return CLAUSE_STYLE
    if part_kind == "attachment":
        return ATTACHMENT_SECTION_STYLE
    return CLAUSE_HEADING_STYLES.get(clause.level, "Heading4")


def numpr_xml(num_id: int, ilvl: int) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


@dataclass(frozen=True, slots=True)
class Fonts:
    body: str
    heading: str


def fonts_for(meta: dict, lang: str) -> Fonts:
    body, heading = get_scheme(lang).fonts
    chosen = {"body": body, "heading": heading, **(meta.get("fonts") or {})}
    return Fonts(chosen["body"], chosen["heading"])


def rfonts(font: str) -> str:
    f = attr(font)
    return f"<w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f}/>"


def _with_numpr(ppr: str, numpr: str) -> str:
    """``numPr`` in schema order: after ``keepNext``, before spacing, indents and alignment."""
    keep = "<w:keepNext/>"
    return keep + numpr + ppr[len(keep):] if ppr.startswith(keep) else numpr + ppr


def _style(style_id: str, name: str, *, ppr: str = "", rpr: str = "", based_on: str | None = "Normal",
           next_id: str | None = None, kind: str = "paragraph", extra: str = "") -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    nxt = f'<w:next w:val="{next_id}"/>' if next_id else ""
    ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return (f'<w:style w:type="{kind}" w:customStyle="{int(extra == "custom")}" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/>{based}{nxt}<w:qFormat/>{ppr}{rpr}</w:style>'
            ).replace(' w:customStyle="0"', "")


# Outline level 0 is a part (主合同, 补充协议, 附件一), 1 an article, 2 a section, 3 a
# titled sub-clause — the levels the TOC pass gives its entries.
HEADING_LOOKS = {1: (32, 240, 240, "center"), 2: (28, 240, 120, None), 3: (24, 120, 60, None),
                 4: (24, 60, 60, None)}  # level: (half-points, space before, after, alignment)


def _heading(level: int, fonts: Fonts) -> str:
    size, before, after, align = HEADING_LOOKS[level]
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    return _style(f"Heading{level}", f"heading {level}", next_id="BodyText",
                  ppr=f'<w:keepNext/><w:spacing w:before="{before}" w:after="{after}"/>{jc}'
                      f'<w:outlineLvl w:val="{level - 1}"/>',
                  rpr=f'{rfonts(fonts.heading)}<w:b/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')


def paragraph_styles(fonts: Fonts) -> list[str]:
    """Every style as an XML string, by id order of use."""
    head = rfonts(fonts.heading)
    custom = "custom"
    return [
        _style("Normal", "Normal", based_on=None, ppr='<w:spacing w:line="360" w:lineRule="auto"/><w:jc w:val="both"/>'),
        _style("Title", "Title", next_id="BodyText",
               ppr='<w:spacing w:before="480" w:after="480"/><w:jc w:val="center"/>',
               rpr=f'{head}<w:b/><w:sz w:val="44"/><w:szCs w:val="44"/>'),
        *(_heading(level, fonts) for level in HEADING_LOOKS),
        _style("BodyText", "Body Text", ppr='<w:ind w:firstLine="480"/>'),
        _style(CLAUSE_STYLE, "Contract Clause", extra=custom),
        _style("Center", "Contract Center", ppr='<w:jc w:val="center"/>', extra=custom),
        _style("Right", "Contract Right", ppr='<w:jc w:val="right"/>', extra=custom),
        _style("Note", "Contract Note", rpr='<w:i/><w:sz w:val="21"/><w:szCs w:val="21"/>', extra=custom),
        _style("BlockTitle", "Contract Block Title", next_id="BodyText",
               ppr='<w:keepNext/><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/>',
               rpr=f"{head}<w:b/>", extra=custom),
        _style(ATTACHMENT_HEADING_STYLE, "Contract Attachment Heading", next_id="BodyText",
               ppr='<w:keepNext/><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
               rpr=f'{head}<w:b/><w:sz w:val="32"/><w:szCs w:val="32"/>', extra=custom),
        _style(ATTACHMENT_SECTION_STYLE, "Contract Attachment Section", next_id="BodyText",
               ppr="<w:keepNext/>", rpr=f"{head}<w:b/>", extra=custom),
        _style("TOCHeading", "TOC Heading", next_id="TOC1", ppr='<w:jc w:val="center"/>',
               rpr=f'{head}<w:b/><w:sz w:val="32"/><w:szCs w:val="32"/>'),
        *(_toc_style(level) for level in (1, 2, 3)),
        _style("Header", "header", ppr='<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="auto"/></w:pBdr>'
               '<w:tabs><w:tab w:val="right" w:pos="8306"/></w:tabs><w:spacing w:line="240" w:lineRule="auto"/>',
               rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        _style("Footer", "footer", ppr='<w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>',
               rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        _style("TableText", "Contract Table Text", ppr='<w:spacing w:line="300" w:lineRule="auto"/><w:jc w:val="left"/>',
               extra=custom),
    ]


def _toc_style(level: int) -> str:
    indent = (level - 1) * 420
    return _style(f"TOC{level}", f"toc {level}", next_id="BodyText",
                  ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="8296"/></w:tabs>'
                      f'<w:spacing w:line="300" w:lineRule="auto"/><w:ind w:left="{indent}"/>')


TABLE_STYLE = (
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
    '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    '</w:tblCellMar></w:tblPr></w:style>')

BASE_STYLES = (
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
    '<w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>')


def doc_defaults(fonts: Fonts, lang: str) -> str:
    return ('<w:docDefaults><w:rPrDefault><w:rPr>'
            f'{rfonts(fonts.body)}<w:kern w:val="2"/><w:sz w:val="24"/><w:szCs w:val="24"/>'
            f'<w:lang w:val="{get_scheme(lang).language_tag}" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
            '</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>')


def numbered_styles(fonts: Fonts, numbering: StyleNumbering) -> list[str]:
    """:func:`paragraph_styles` with each numbering style's ``w:numPr`` in its ``w:pPr``."""
    lists = {style_id: numpr_xml(num_id, ilvl) for style_id, num_id, ilvl in numbering}
    out = []
    for xml in paragraph_styles(fonts):
        style_id = _STYLE_ID.search(xml).group(1)
        if style_id in lists and "<w:pPr>" in xml:
            head, tail = xml.split("<w:pPr>", 1)
            xml = f"{head}<w:pPr>{_with_numpr(tail, lists[style_id])}"
        elif style_id in lists:
            xml = xml.replace("<w:qFormat/>", f"<w:qFormat/><w:pPr>{lists[style_id]}</w:pPr>", 1)
        out.append(xml)
    return out


@lru_cache(maxsize=32)
def styles_xml(fonts: Fonts, lang: str, numbering: StyleNumbering = ()) -> str:
    """The whole styles part; cached because it depends only on fonts, language and lists."""
    body = "".join(numbered_styles(fonts, numbering))
    return (f'{XML_DECL}<w:styles xmlns:w="{W_NS}">'
            f"{doc_defaults(fonts, lang)}{body}{BASE_STYLES}{TABLE_STYLE}</w:styles>")


_STYLE_ID = re.compile(r'w:styleId="([^"]+)"')


def style_ids(fonts: Fonts) -> list[tuple[str, str]]:
    """(styleId, xml) of each style we define, for merging into a reference DOCX."""
    items = [*paragraph_styles(fonts), TABLE_STYLE]
    return [(_STYLE_ID.search(x).group(1), x) for x in items]
