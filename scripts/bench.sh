#!/usr/bin/env bash
# Benchmarks: scripts/bench.sh [SUITE...]   (suites: stats engine models physics stats-nd; default: the first four)
# Each suite prints its absolute figures, then one `ratio: NAME VALUE` line per comparison
# (GenStats speed / reference speed; > 1 means GenStats is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
dotnet paket restore >/dev/null
# Reference tools: numpy/scipy/scikit-learn from Debian, installed when missing (as root).
if ! /usr/bin/python3 -c "import numpy, scipy, sklearn" 2>/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq python3-scipy python3-sklearn >/dev/null
    else
        echo "warning: python3-scipy/python3-sklearn missing and not root; reference timings will be skipped" >&2
    fi
fi
dotnet build tests/GenStats.Benchmarks/GenStats.Benchmarks.csproj -c Release -nologo -v quiet
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(stats engine models physics)
exec dotnet tests/GenStats.Benchmarks/bin/Release/net10.0/GenStats.Benchmarks.dll "${suites[@]}"
