"""Numbering schemes: how numbers are written and cited, per language. Locale is data."""

from __future__ import annotations

from .base import Scheme
from .en import EN
from .zh import ZH

SCHEMES: dict[str, Scheme] = {"zh": ZH, "en": EN}


def get_scheme(name: str) -> Scheme:
    return SCHEMES[name]
