"""Numbering schemes: how numbers are written and cited, per language. Locale is data."""

from __future__ import annotations

from .base import Scheme
from .en import EN
from .en_gb import EN_GB
from .zh import ZH, ZH_HANZI

#: Every scheme a template may name (``scheme:`` in contract.yaml); "zh" and "en" are also
#: the default of their language.
SCHEMES: dict[str, Scheme] = {"zh": ZH, "zh-hanzi": ZH_HANZI, "en": EN, "en-GB": EN_GB}
LANGUAGES = ("zh", "en")


def get_scheme(name: str) -> Scheme:
    return SCHEMES[name]
