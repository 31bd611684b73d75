#!/bin/sh
# The system packages a make target needs (Debian/Ubuntu names), installed when they are missing.
# Usage: scripts/system-deps.sh NEED...   with NEED among: venv npm browser pdf
#   venv     Python's venv module (python3-venv)             every target that creates .venv
#   npm      npm (the browser-side packages, package-lock)   make test, make offline
#   browser  Chromium and Japanese fonts                     make test (browser and print tests)
#   pdf      WeasyPrint's libraries (Pango, HarfBuzz subset), Japanese and English fonts   make pdf, make test
# Nothing missing: silent. Missing, with apt-get and root or passwordless sudo: installs them.
# Otherwise stops at once with the exact command to run.
set -eu

PYTHON=${PYTHON:-python3}
missing=""
need() { missing="$missing $1"; }
has_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || ls /usr/lib/*/"$1"* /usr/lib/"$1"* >/dev/null 2>&1; }

for want in "$@"; do
  case "$want" in
    venv)
      "$PYTHON" -c "import ensurepip, venv" 2>/dev/null || need python3-venv ;;
    npm)
      command -v npm >/dev/null 2>&1 || need npm ;;
    browser)
      command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || need chromium
      command -v fc-list >/dev/null 2>&1 || need fontconfig
      fc-list :lang=ja 2>/dev/null | grep -q . || need fonts-noto-cjk ;;
    pdf)
      has_lib libpango-1.0.so.0 || need libpango-1.0-0
      has_lib libpangoft2-1.0.so.0 || need libpangoft2-1.0-0
      has_lib libharfbuzz-subset.so.0 || need libharfbuzz-subset0
      command -v fc-list >/dev/null 2>&1 || need fontconfig
      fc-list 2>/dev/null | grep -q "Noto Serif CJK JP" || need fonts-noto-cjk
      fc-list 2>/dev/null | grep -q "DejaVu Serif" || need fonts-dejavu-core ;;
    *)
      echo "system-deps: unknown need '$want' (venv, npm, browser or pdf)" >&2
      exit 2 ;;
  esac
done

# Each package once, in order.
packages=$(printf '%s\n' $missing | awk 'NF && !seen[$0]++' | tr '\n' ' ' | sed 's/ $//')
[ -z "$packages" ] && exit 0

if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  sudo=none
fi
if [ "$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing system packages: $packages" >&2
  echo "    fix: run   sudo apt-get update && sudo apt-get install -y --no-install-recommends $packages" >&2
  echo "         (on another system, install the equivalent packages; see README.md)" >&2
  exit 1
fi
echo "system-deps: installing $packages"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages
