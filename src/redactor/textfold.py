"""Length-preserving character folding for matching.

NFKC would change string lengths (e.g. '㈱' -> '(株)') and force an offset map; the forms
that matter for identifiers in Word files are full-width ASCII (U+FF01..FF5E, e.g. '５３２３'),
the ideographic space and a few dash look-alikes, and all of them fold to exactly one ASCII
character. Folding one character to one character keeps every offset valid, so a span found
in the folded text points at the same characters in the original. str.translate runs in C.
"""
from __future__ import annotations

_TABLE: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE[0x3000] = 0x20  # ideographic space
_TABLE[0x00A0] = 0x20  # no-break space
for _dash in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63):
    _TABLE[_dash] = 0x2D  # hyphen/minus look-alikes
_TABLE[0x3002] = 0x3002  # keep the ideographic full stop as is (sentence boundary)


def fold(text: str) -> str:
    """Return ``text`` with full-width ASCII and look-alike spaces/dashes folded; same length."""
    if text.isascii():
        return text
    return text.translate(_TABLE)
