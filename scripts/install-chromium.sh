#!/usr/bin/env bash
# Install headless Chromium for the report rendering test (tests/e2e/test_report_renders.py).
# Idempotent: does nothing when /usr/bin/chromium exists. Installs the Debian package when run
# as root; otherwise says what to install and exits non-zero.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
    echo "chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    cat >&2 <<'MSG'
chromium is not installed and this script is not running as root.
Install the Debian package yourself, then re-run the tests:
    sudo apt-get update && sudo apt-get install -y chromium
(The report rendering test skips without it outside CI and fails inside CI.)
MSG
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium is missing and apt-get is not available; install chromium by hand" >&2
    exit 1
fi

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
echo "chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
