"""The HTML page's own words (panel titles, "Cited by", counts, hover titles), by key.

The English text of each label is its msgid in the ``preview`` context of the message
catalog (:mod:`contractgen.i18n`); :func:`label` gives it in a language, ``{name}`` fields
filled in. Rule codes, file names and contract text are never labels: they stay as they are.
"""

from __future__ import annotations

from .. import i18n

LABELS = {
    "cited-by": "Cited by",
    "findings": "Findings",
    "findings-title": "Findings: {summary}",
    "no-findings": "No findings: the checks found nothing to report.",
    "error": "{n} error",
    "errors": "{n} errors",
    "warning": "{n} warning",
    "warnings": "{n} warnings",
    "line": "line {line}",
    "document": "document",
    "generated": "generated",
    "legend-legacy": "With a mouse, point at a paragraph to see its line in the source file (not shown on a touch screen).",
    "built-from": "Built from template {template}. ",
    "legend-library": ("With a mouse, point at text from the clause library to see its clause id and version "
                       "(not shown on a touch screen); "),
    "shaded": "shaded text",
    "legend-generated": " is generated: numbers, references, the table of contents and the register of attachments.",
    "rebuilds": "The page rebuilds by itself when the files change.",
}

_SEPARATOR = {i18n.ZH: "，", i18n.EN: ", "}


def label(key: str, lang: str | None = None, **values) -> str:
    """The label ``key`` in ``lang`` (default: this run's message language)."""
    return i18n.lookup(LABELS[key], "preview", lang, **values)


def severity_counts(counts: dict[str, int], lang: str | None = None) -> str:
    """"2 errors, 1 warning" (in ``lang``) for {severity: count}, severities in name order."""
    lang = lang or i18n.get_lang()
    shown = [label(sev if n == 1 else f"{sev}s", lang, n=n) for sev, n in sorted(counts.items())]
    return _SEPARATOR.get(lang, ", ").join(shown)
