#!/usr/bin/env bash
# Install what the tests need on a fresh Debian machine, then the package with its test extras.
#   Debian: Tesseract OCR with Chinese (scanned PDF pages), CJK fonts (PDF fixtures),
#           Chromium + driver (HTML report tested in a real headless browser),
#           LibreOffice Writer and Calc (DOCX -> PDF as clerks make them; legacy .doc/.wps/.xls/.et
#           converted for reading, see src/redactor/formats/convert.py), poppler-utils (pdftoppm).
#   PyPI:   this package, editable, with the [test] extra (pyproject.toml).
# Idempotent: skips apt when everything is there already. Not root / no apt: skipped with a
# warning (the tests that need those tools then skip and say why).
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk fonts-wqy-zenhei chromium chromium-driver
              libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: WARNING: cannot install ${missing[*]} (need root and apt-get); tests that need them will skip" >&2
  fi
fi

PY=${PYTHON:-python3}
"$PY" -m pip install -q --disable-pip-version-check -e '.[test]'
echo "setup: done ($("$PY" -c 'import redactor; print("redactor", redactor.__version__)'))"
