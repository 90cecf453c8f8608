#!/usr/bin/env bash
# Installs the front-end assets that HTML reports inline (plotly.js-dist-min, pinned in
# report/package-lock.json) with `npm ci`. Installs Node.js/npm from Debian when missing and
# running as root; otherwise says plainly what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
target=report/node_modules/plotly.js-dist-min/plotly.min.js
if [ -f "$target" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "npm not found: installing Debian's nodejs and npm"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
        echo "npm is not installed and cannot be installed here (needs root and apt-get); HTML reports need it" >&2
        exit 1
    fi
fi
echo "installing report assets (npm ci in report/)"
npm ci --prefix report --ignore-scripts --no-audit --no-fund --loglevel=error
[ -f "$target" ] || { echo "npm ci finished but $target is missing" >&2; exit 1; }
