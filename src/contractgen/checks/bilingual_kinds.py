"""The names the bilingual checks share: the two languages and the kinds of value they
compare. A module of its own, light to import: a one-language contract never loads the
pairing, the glossary or the value readers (checks/bilingual.py imports them on use)."""

ZH, EN = "zh", "en"
OTHER = {ZH: EN, EN: ZH}

AMOUNT, PERIOD, PERCENT, DATE, REF = "amount", "period", "percentage", "date", "reference"
KINDS = (AMOUNT, PERIOD, PERCENT, DATE, REF)
