#!/usr/bin/env bash
# Install what the tests need on a fresh Debian machine, then the package with its test extras
# into a virtual environment, .venv (Debian's own Python refuses `pip install` outside one).
#   Debian: Tesseract OCR with Chinese (scanned PDF pages), CJK fonts (PDF fixtures),
#           Chromium + driver (HTML report tested in a real headless browser),
#           LibreOffice Writer and Calc (DOCX -> PDF as clerks make them; legacy .doc/.wps/.xls/.et
#           converted for reading, see src/redactor/formats/convert.py), poppler-utils (pdftoppm),
#           python3-venv when the system Python cannot make a virtual environment.
#   PyPI:   this package, editable, with the [test] extra (pyproject.toml; it includes the
#           [dask] extra's Dask distributed, so that --dask is tested), into $VENV (default .venv).
# Idempotent: skips apt when everything is there already, reuses the environment. Not root / no
# apt: skipped with a warning (the tests that need those tools then skip and say why).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=${VENV:-.venv}
DEB_PACKAGES=(tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk fonts-wqy-zenhei chromium chromium-driver
              libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)
if ! "$PY" -c "import ensurepip, venv" 2>/dev/null; then
  DEB_PACKAGES+=(python3-venv)
fi

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

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating the virtual environment $VENV"
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'
echo "setup: done ($("$VENV/bin/python" -c 'import redactor; print("redactor", redactor.__version__)') in $VENV)"
