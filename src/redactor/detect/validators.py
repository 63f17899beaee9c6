"""Validators: named pure functions ``str -> bool`` over an identifier with separators removed.

Each cites the standard it encodes. Rules in ``patterns/structured.toml`` refer to them by name.
"""
from __future__ import annotations

import csv
import datetime as _dt
from functools import lru_cache
from typing import Callable

from ..patterns_data import open_pattern_file

# --- GB 11643-1999 citizen identity number -------------------------------------------------
# 6-digit region code (GB/T 2260) + birth date YYYYMMDD + 3-digit sequence (odd = male)
# + check character. Check: sum(d_i * w_i) mod 11 indexes "10X98765432".
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


@lru_cache(maxsize=1)
def region_codes() -> dict[str, tuple[int, int]]:
    """code -> (first year, last year) it was valid; from patterns/region_codes.csv.

    Derived from GB/T 2260 history by scripts/build_region_codes.py. IDs keep the code they
    were issued with, so abolished codes stay valid for births up to their last year.
    """
    out: dict[str, tuple[int, int]] = {}
    with open_pattern_file("region_codes.csv") as f:
        rows = csv.reader(line for line in f if not line.startswith("#"))
        next(rows)
        for code, _name, start, end in rows:
            lo = int(start) if start else 0
            hi = int(end) if end else 9999
            old = out.get(code)
            out[code] = (min(lo, old[0]), max(hi, old[1])) if old else (lo, hi)
    return out


def valid_region(code: str, birth_year: int | None = None) -> bool:
    # Prefecture-level codes are issued too (e.g. 5323xx). Accept a code listed in the table.
    # The birth year is not compared with the code's start year: people born before a county
    # was created receive its code when their ID is (re)issued there.
    return code in region_codes()


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        day = _dt.date(y, m, d)
    except ValueError:
        return False
    return _dt.date(1880, 1, 1) <= day <= _dt.date.today()


def id18(value: str) -> bool:
    """18-character resident ID: region, birth date, check character (x or X)."""
    v = value.upper()
    if len(v) != 18 or not v[:17].isdigit():
        return False
    if not _valid_date(int(v[6:10]), int(v[10:12]), int(v[12:14])):
        return False
    if not valid_region(v[:6], int(v[6:10])):
        return False
    return id_check_char(v[:17]) == v[17]


def id18_bad_check(value: str) -> bool:
    """The shape of an 18-character ID (region, birth date) with a wrong check character: a
    typo, or an ID stored as a number whose last digits were lost. Only worth reporting where
    the context says it is an ID (the rule's score is under the threshold without it)."""
    v = value.upper()
    if len(v) != 18 or not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        return False
    if not _valid_date(int(v[6:10]), int(v[10:12]), int(v[12:14])) or not valid_region(v[:6]):
        return False
    return id_check_char(v[:17]) != v[17]


def id15(value: str) -> bool:
    """Legacy 15-digit ID (before 1999): region + YYMMDD (19YY) + 3-digit sequence, no check."""
    if len(value) != 15 or not value.isdigit():
        return False
    if not _valid_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12])):
        return False
    return valid_region(value[:6])


# --- GB 32100-2015 unified social credit code ----------------------------------------------
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def credit_code(value: str) -> bool:
    v = value.upper()
    if len(v) != 18 or any(c not in _USCC_CHARS for c in v):
        return False
    if not v[2:8].isdigit():  # chars 3-8: region code of the registering authority
        return False
    return credit_code_check_char(v[:17]) == v[17]


# --- Luhn (ISO/IEC 7812) for bank cards ----------------------------------------------------
def luhn(value: str) -> bool:
    if not value.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(value)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_check_digit(body: str) -> str:
    for d in "0123456789":
        if luhn(body + d):
            return d
    raise AssertionError("unreachable")


def bank_card(value: str) -> bool:
    return 16 <= len(value) <= 19 and luhn(value)


# --- phones ---------------------------------------------------------------------------------
def mobile(value: str) -> bool:
    """Mainland mobile (MIIT numbering plan): 11 digits, 1[3-9]x, optional 86 prefix."""
    v = value.lstrip("+")
    if v.startswith("0086"):
        v = v[4:]
    elif v.startswith("86") and len(v) == 13:
        v = v[2:]
    return len(v) == 11 and v[0] == "1" and v[1] in "3456789"


def landline(value: str) -> bool:
    """Area code (010, 02x, or 0[3-9]xx) + 7-8 digit subscriber number not starting 0/1."""
    v = value.split("转")[0]
    if not v.startswith("0"):
        return False
    area = 3 if v[1] in "12" else 4
    local = v[area:]
    return 7 <= len(local) <= 8 and local[0] not in "01"


def ipv4(value: str) -> bool:
    parts = value.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 and (p == "0" or not p.startswith("0")) for p in parts)


def plate(value: str) -> bool:
    """GA 36 plate: after province + letter, at least 3 digits among the 5-6 characters
    (plates with more letters are not issued; this keeps words like 云A区ABCD out)."""
    tail = value[2:]
    return sum(c.isdigit() for c in tail) >= 3


def always(value: str) -> bool:
    return True


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "id18": id18,
    "id18_bad_check": id18_bad_check,
    "id15": id15,
    "credit_code": credit_code,
    "bank_card": bank_card,
    "luhn": luhn,
    "mobile": mobile,
    "landline": landline,
    "ipv4": ipv4,
    "plate": plate,
    "always": always,
}
