"""The theme and font table parts Word expects next to every document.

The theme is the smallest valid one (Office colours; the fonts of the template), the
font table lists the fonts the styles name, with their GB2312 charset for Chinese faces
so Word and WPS pick the right substitute when a font is missing.
"""

from __future__ import annotations

from functools import lru_cache

from .styles import Fonts
from .xml import XML_DECL, attr

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
COLOURS = (("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
           ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
           ("dk2", '<a:srgbClr val="44546A"/>'), ("lt2", '<a:srgbClr val="E7E6E6"/>'),
           ("accent1", '<a:srgbClr val="4472C4"/>'), ("accent2", '<a:srgbClr val="ED7D31"/>'),
           ("accent3", '<a:srgbClr val="A5A5A5"/>'), ("accent4", '<a:srgbClr val="FFC000"/>'),
           ("accent5", '<a:srgbClr val="5B9BD5"/>'), ("accent6", '<a:srgbClr val="70AD47"/>'),
           ("hlink", '<a:srgbClr val="0563C1"/>'), ("folHlink", '<a:srgbClr val="954F72"/>'))
# Chinese faces and their alternative names (Word accepts either).
CHINESE_FONTS = {"SimSun": "宋体", "SimHei": "黑体", "KaiTi": "楷体", "FangSong": "仿宋",
                 "Microsoft YaHei": "微软雅黑", "NSimSun": "新宋体"}
_SOLID = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'


def _font(tag: str, latin: str, east_asian: str) -> str:
    return (f"<a:{tag}><a:latin typeface={attr(latin)}/><a:ea typeface={attr(east_asian)}/>"
            f'<a:cs typeface=""/></a:{tag}>')


@lru_cache(maxsize=16)
def theme_xml(fonts: Fonts) -> str:
    colours = "".join(f"<a:{name}>{value}</a:{name}>" for name, value in COLOURS)
    lines = "".join(f'<a:ln w="{w}">{_SOLID}</a:ln>' for w in (6350, 12700, 19050))
    return (f'{XML_DECL}<a:theme xmlns:a="{A}" name="contractgen"><a:themeElements>'
            f'<a:clrScheme name="Office">{colours}</a:clrScheme>'
            f'<a:fontScheme name="contractgen">{_font("majorFont", fonts.heading, fonts.heading)}'
            f'{_font("minorFont", fonts.body, fonts.body)}</a:fontScheme>'
            f'<a:fmtScheme name="Office"><a:fillStyleLst>{_SOLID * 3}</a:fillStyleLst>'
            f"<a:lnStyleLst>{lines}</a:lnStyleLst>"
            f'<a:effectStyleLst>{"<a:effectStyle><a:effectLst/></a:effectStyle>" * 3}</a:effectStyleLst>'
            f"<a:bgFillStyleLst>{_SOLID * 3}</a:bgFillStyleLst></a:fmtScheme>"
            "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>")


@lru_cache(maxsize=16)
def font_table_xml(fonts: Fonts) -> str:
    entries = []
    for name in dict.fromkeys((fonts.body, fonts.heading)):
        alt = CHINESE_FONTS.get(name)
        alt_xml = f"<w:altName w:val={attr(alt)}/>" if alt else ""
        charset = "86" if alt else "00"
        entries.append(f"<w:font w:name={attr(name)}>{alt_xml}<w:charset w:val=\"{charset}\"/>"
                       '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>')
    return (f'{XML_DECL}<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'{"".join(entries)}</w:fonts>')
