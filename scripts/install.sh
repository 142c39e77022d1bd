#!/usr/bin/env bash
# Install everything kulti-smoke needs: the Python packages, and a Chromium for Playwright
# (Playwright's own when it is installed, otherwise the distribution's chromium package).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

# Allure 3 (the HTML report) needs only Node; Allure 2 would need Java.
if command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "install: npm not found - runs will write the verdict but no Allure HTML report" >&2
fi

playwright_chromium_present() {
  python3 - <<'PY' 2>/dev/null
import os, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    sys.exit(0 if os.path.exists(p.chromium.executable_path) else 1)
PY
}

if playwright_chromium_present; then
  echo "install: using Playwright's Chromium"
elif command -v chromium >/dev/null 2>&1 && command -v chromium-headless-shell >/dev/null 2>&1 \
    && fc-list 2>/dev/null | grep -qi 'Noto Color Emoji'; then
  echo "install: using $(command -v chromium-headless-shell) (headless) and $(command -v chromium) (--headed)"
elif command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install: apt-get install chromium chromium-headless-shell (Playwright's browser download is not available here)"
  $sudo apt-get update -qq
  # The headless shell runs headless (fixtures/browsers.py), the full browser --headed. The emoji font lets
  # the pages render the runbook's chat message "🎉" in screenshots.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-headless-shell \
    fonts-noto-color-emoji >/dev/null
else
  python3 -m playwright install chromium
fi
