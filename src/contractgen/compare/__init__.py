"""`contractgen compare`: what really changed between two versions of a contract.

Readers give both versions as documents; :mod:`.units` cuts them into units, :mod:`.align`
matches units by structure (label, title, text), :mod:`.classify` says what happened to
each and :mod:`.diff` finds the word-level changes. Writers: :mod:`.report` (text, JSON),
:mod:`.html` (a redline page) and :mod:`.docx` (NEW with tracked changes).
"""

from .core import Comparison, compare_documents

__all__ = ["Comparison", "compare_documents"]
