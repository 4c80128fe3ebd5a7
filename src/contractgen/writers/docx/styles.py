"""``word/styles.xml``: the named paragraph styles every generated contract uses.

Style ids are stable (a reference DOCX may override any of them by id); headings use
Word's built-in "heading 1…4" names so a TOC field with ``\\o`` finds them in Word and
LibreOffice maps them to its own outline headings. The styles that number clauses carry
their list in ``w:numPr`` (see :mod:`.numbering`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ...model import Clause
from ...numbering import get_scheme
from ...numbering.base import Typography
from ...wordml import W_NS
from .xml import XML_DECL, attr
from ... import rx

# Paragraph.style hints from the model -> style ids.
HINT_STYLES = {"body": "BodyText", "title": "Title", "center": "Center", "right": "Right",
               "note": "Note", "definition": "Definition"}
# A part's title is "heading 1"; a clause of level n with a title is "heading n+1".
PART_STYLE = "Heading1"
CLAUSE_HEADING_STYLES = {1: "Heading2", 2: "Heading3", 3: "Heading4"}
CLAUSE_STYLE = "Clause"  # a numbered clause without a title: its number, then its text
ATTACHMENT_HEADING_STYLE = "AttachmentHeading"
ATTACHMENT_SECTION_STYLE = "AttachmentSection"
SIGNATURE_STYLE = "Signature"
SIGNATURE_LEAD_STYLE = "SignatureLead"

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
    latin: str = ""  # digits and Latin letters next to a Chinese face ("" = the face itself)


# Chinese faces (and their Chinese names): their digits and Latin letters are set in the
# language's Latin font instead, as firms do (宋体 with Times New Roman).
CJK_FACES = frozenset({"SimSun", "SimHei", "KaiTi", "FangSong", "Microsoft YaHei", "NSimSun",
                       "宋体", "黑体", "楷体", "仿宋", "微软雅黑", "新宋体"})


def fonts_for(meta: dict, lang: str) -> Fonts:
    scheme = get_scheme(lang)
    body, heading = scheme.fonts
    chosen = {"body": body, "heading": heading, **(meta.get("fonts") or {})}
    latin = scheme.typography.latin_font if scheme.typography else ""
    return Fonts(chosen["body"], chosen["heading"], latin)


def rfonts(font: str, latin: str = "") -> str:
    """``w:rFonts``: ``font`` for East Asian text; for Latin text too unless it is a Chinese
    face and a ``latin`` font is given."""
    f = attr(font)
    lat = attr(latin) if latin and font in CJK_FACES else f
    return f"<w:rFonts w:ascii={lat} w:hAnsi={lat} w:eastAsia={f} w:cs={lat}/>"


_BEFORE_NUMPR = ("<w:keepNext/>", "<w:keepLines/>", "<w:widowControl/>")


def _with_numpr(ppr: str, numpr: str) -> str:
    """``numPr`` in schema order: after ``keepNext``/``keepLines``, before spacing, indents, alignment."""
    head = ""
    for tag in _BEFORE_NUMPR:
        if ppr.startswith(tag):
            head, ppr = head + tag, ppr[len(tag):]
    return head + numpr + ppr


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


def _heading(level: int, fonts: Fonts, typo: Typography) -> str:
    size, before, after, align = HEADING_LOOKS[level]
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    return _style(f"Heading{level}", f"heading {level}", next_id="BodyText",
                  ppr=f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/>{jc}'
                      f'<w:outlineLvl w:val="{level - 1}"/>',
                  rpr=f'{rfonts(fonts.heading, fonts.latin)}{_bold(typo)}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')


def _bold(typo: Typography) -> str:
    """Bold for headings, unless the heading face is heavy already (黑体: no faked bold)."""
    return "<w:b/><w:bCs/>" if typo.heading_bold else ""


def _normal(typo: Typography) -> str:
    after = f' w:after="{typo.space_after}"' if typo.space_after else ""
    return (f'<w:widowControl/><w:spacing{after} w:line="{typo.line}" w:lineRule="auto"/>'
            f'<w:jc w:val="{typo.justify}"/>')


def _body_indent(typo: Typography) -> str:
    """Two characters (``firstLineChars``; ``firstLine`` for viewers without character units)."""
    if not typo.first_line_chars:
        return ""
    return f'<w:ind w:firstLine="{typo.first_line_chars * 240 // 100}" w:firstLineChars="{typo.first_line_chars}"/>'


def _definition_indent(typo: Typography) -> str:
    """A definition stands under the text of the clause above it (its number's indent), with
    no first-line indent of its own; in Chinese it keeps the body's two characters."""
    if typo.first_line_chars:
        return _body_indent(typo)
    left = typo.clause_indents[1][0] if len(typo.clause_indents) > 1 else 0
    return f'<w:ind w:left="{left}" w:firstLine="0"/>' if left else ""


def paragraph_styles(fonts: Fonts, typo: Typography) -> list[str]:
    """Every style as an XML string, by id order of use."""
    head = rfonts(fonts.heading, fonts.latin)
    bold = _bold(typo)
    custom = "custom"
    return [
        _style("Normal", "Normal", based_on=None, ppr=_normal(typo)).replace(
            '<w:style w:type="paragraph" ', '<w:style w:type="paragraph" w:default="1" ', 1),
        _style("Title", "Title", next_id="BodyText",
               ppr='<w:keepNext/><w:spacing w:before="480" w:after="480"/><w:jc w:val="center"/>',
               rpr=f'{head}{bold}<w:sz w:val="44"/><w:szCs w:val="44"/>'),
        *(_heading(level, fonts, typo) for level in HEADING_LOOKS),
        _style("BodyText", "Body Text", ppr=_body_indent(typo)),
        _style("Definition", "Contract Definition", based_on="BodyText", ppr=_definition_indent(typo)),
        _style(CLAUSE_STYLE, "Contract Clause", extra=custom),
        _style("Center", "Contract Center", ppr='<w:jc w:val="center"/>', extra=custom),
        _style("Right", "Contract Right", ppr='<w:jc w:val="right"/>', extra=custom),
        _style("Note", "Contract Note", rpr='<w:i/><w:sz w:val="21"/><w:szCs w:val="21"/>', extra=custom),
        _style("BlockTitle", "Contract Block Title", next_id="BodyText",
               ppr='<w:keepNext/><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/>',
               rpr=f"{head}{bold}", extra=custom),
        _style(ATTACHMENT_HEADING_STYLE, "Contract Attachment Heading", next_id="BodyText",
               ppr='<w:keepNext/><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
               rpr=f'{head}{bold}<w:sz w:val="32"/><w:szCs w:val="32"/>', extra=custom),
        _style(ATTACHMENT_SECTION_STYLE, "Contract Attachment Section", next_id="BodyText",
               ppr='<w:keepNext/><w:spacing w:before="120" w:after="60"/>', rpr=f"{head}{bold}", extra=custom),
        _style("TOCHeading", "TOC Heading", next_id="TOC1", ppr='<w:keepNext/><w:spacing w:after="240"/><w:jc w:val="center"/>',
               rpr=f'{head}{bold}<w:sz w:val="32"/><w:szCs w:val="32"/>'),
        *(_toc_style(level) for level in (1, 2, 3)),
        _style("Header", "header", ppr='<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="auto"/></w:pBdr>'
               '<w:tabs><w:tab w:val="right" w:pos="8306"/></w:tabs><w:spacing w:line="240" w:lineRule="auto"/>',
               rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        _style("Footer", "footer", ppr='<w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>',
               rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        _style("TableText", "Contract Table Text",
               ppr='<w:spacing w:before="40" w:after="40" w:line="264" w:lineRule="auto"/><w:jc w:val="left"/>',
               extra=custom),
        _style("TableHeader", "Contract Table Header", based_on="TableText", next_id="TableText",
               ppr='<w:keepNext/>', rpr=f"{head}{bold}", extra=custom),
        # an empty line of 6 pt after a table, so the next heading does not touch it
        _style("TableAfter", "Contract Table Spacing",
               ppr='<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
               rpr='<w:sz w:val="12"/><w:szCs w:val="12"/>', extra=custom),
        _style(SIGNATURE_STYLE, "Contract Signature", ppr='<w:keepNext/><w:keepLines/><w:spacing w:after="0"/>'
               '<w:jc w:val="left"/>', extra=custom),
        _style(SIGNATURE_LEAD_STYLE, "Contract Signature Lead", ppr='<w:keepLines/><w:spacing w:before="240" w:after="240"/>',
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
            f'{rfonts(fonts.body, fonts.latin)}<w:kern w:val="2"/><w:sz w:val="24"/><w:szCs w:val="24"/>'
            f'<w:lang w:val="{get_scheme(lang).language_tag}" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
            '</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>')


def numbered_styles(fonts: Fonts, lang: str, numbering: StyleNumbering) -> list[str]:
    """:func:`paragraph_styles` with each numbering style's ``w:numPr`` in its ``w:pPr``."""
    lists = {style_id: numpr_xml(num_id, ilvl) for style_id, num_id, ilvl in numbering}
    out = []
    for xml in paragraph_styles(fonts, get_scheme(lang).typography):
        style_id = _STYLE_ID.search(xml).group(1)
        if style_id in lists and "<w:pPr>" in xml:
            head, tail = xml.split("<w:pPr>", 1)
            xml = f"{head}<w:pPr>{_with_numpr(tail, lists[style_id])}"
        elif style_id in lists:
            xml = xml.replace("<w:qFormat/>", f"<w:qFormat/><w:pPr>{lists[style_id]}</w:pPr>", 1)
        out.append(xml)
    return out


@lru_cache(maxsize=32)
def styles_xml(fonts: Fonts, lang: str, numbering: StyleNumbering = (), extra: str = "") -> str:
    """The whole styles part; cached because it depends only on fonts, language and lists.
    ``extra``: more ``w:style`` elements (a bilingual contract's other language's text)."""
    body = "".join(numbered_styles(fonts, lang, numbering))
    return (f'{XML_DECL}<w:styles xmlns:w="{W_NS}">'
            f"{doc_defaults(fonts, lang)}{body}{BASE_STYLES}{TABLE_STYLE}{extra}</w:styles>")


_STYLE_ID = rx.compile(r'w:styleId="([^"]+)"')


def style_ids(fonts: Fonts, lang: str) -> list[tuple[str, str]]:
    """(styleId, xml) of each style we define, for merging into a reference DOCX."""
    items = [*paragraph_styles(fonts, get_scheme(lang).typography), TABLE_STYLE]
    return [(_STYLE_ID.search(x).group(1), x) for x in items]
