"""Resource limits for untrusted contract files, in one place.

Every file `check`, `preview`, `compare` or the web app reads may come from anyone, so the
readers bound what a file can make them do: how much a DOCX may inflate to, how many XML
elements and how deep, how many paragraphs and characters, how large a list counter or a
number may get. The defaults are far above any real contract (the largest file of the
real-contract corpus in tests/data/corpus inflates to 0.8 MB, has 18,157 XML elements in its
largest part, nesting 15 deep, 473 paragraphs and labels of 11 characters) and far below
what exhausts a machine: a file at every limit at once reads in well under 1 GiB.

A reader that meets a limit raises :class:`LimitExceeded`; the reader of the file turns it
into a :class:`~contractgen.diagnostics.UserError` (exit 2) that names the file, what went
past which limit, and asks whether the file is a real contract.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(slots=True, frozen=True)
class Limits:
    """What one input file may hold; each field says what it bounds."""

    # -- the zip archive of a DOCX ---------------------------------------------------------
    zip_members: int = 5_000                 # entries in the archive (a real DOCX has 10-40)
    zip_directory: int = 4 * MiB             # bytes of the central directory, read before anything else
    part_compressed: int = 64 * MiB          # compressed bytes of one part the reader reads
    part_inflated: int = 64 * MiB            # inflated bytes of one part (counted while inflating)
    total_inflated: int = 160 * MiB          # inflated bytes of all the parts read together

    # -- the XML in those parts ------------------------------------------------------------
    xml_elements: int = 1_000_000            # elements in one part (about 110 MB once parsed)
    total_elements: int = 2_000_000          # elements in all the parts read together
    xml_depth: int = 200                     # element nesting; the walkers recurse at most this deep
    # A single text node is capped by libxml2 itself at 10,000,000 bytes (no huge_tree).

    # -- the document read from them -------------------------------------------------------
    paragraphs: int = 200_000                # paragraphs in the body, table cells included; and lines
    paragraph_chars: int = 4_000_000         # visible characters of one paragraph (or text line)
    text_chars: int = 16_000_000             # visible characters of the whole document
    style_chain: int = 100                   # styles in one w:basedOn / w:numStyleLink chain
    field_nesting: int = 50                  # fields open inside each other at one point

    # -- numbers ---------------------------------------------------------------------------
    number_digits: int = 9                   # digits of a number attribute (Word's are 32-bit)
    # digits of a number typed in text: what int() reads (sys.get_int_max_str_digits()); a
    # longer run is no number, and a long typo (第99999999999999条) is still one to report
    text_number_digits: int = 4_300
    list_value: int = 1_000_000              # a list counter (w:start, w:startOverride, counting up)
    label_chars: int = 200                   # characters of one drawn list label
    list_levels: int = 10                    # w:ilvl 0-9: the levels Word (9) and LibreOffice (10) draw

    # -- text files ------------------------------------------------------------------------
    text_bytes: int = 16 * MiB               # a .txt or .md file (then its lines as paragraphs above)
    set_bytes: int = 1 * MiB                 # a contract-set YAML (a few lines naming files)
    set_nesting: int = 20                    # mappings and lists inside each other in it


LIMITS = Limits()


class LimitExceeded(Exception):
    """A file went past one of :data:`LIMITS`; the message says what and which limit.

    Readers catch it where the file name is known and raise a UserError instead."""


def size(n: int) -> str:
    """A byte count as the limits are written: "64 MiB", "4 MiB", "512 bytes"."""
    return f"{n // MiB} MiB" if n >= MiB and n % MiB == 0 else f"{n:,} bytes"


def ascii_int(text: str | None, digits: int = LIMITS.number_digits) -> int | None:
    """The value of an optionally signed run of ASCII digits, or None.

    Python's ``str.isdigit`` and ``int`` also accept superscripts ("²" is a digit to
    ``isdigit`` but not to ``int``) and other scripts' digits; a file's numbers are ASCII.
    A number of more than ``digits`` digits raises :class:`LimitExceeded` (``int`` of over
    4,300 digits raises ValueError, and smaller huge numbers make huge labels).
    """
    if text is None:
        return None
    body = text.strip()
    sign = body[:1] if body[:1] in "+-" else ""
    body = body[len(sign):]
    if not body or not body.isascii() or not body.isdigit():
        return None
    if len(body.lstrip("0")) > digits:
        raise LimitExceeded(f"a number of {len(body):,} digits (the limit is {digits})")
    value = int(body)
    return -value if sign == "-" else value
