#!/usr/bin/env bash
# Benchmarks: scripts/bench.sh [SUITE...]   (suites: stats engine models physics; default: all)
# Each suite prints its absolute figures, then one `ratio: NAME VALUE` line per comparison
# (GenStats speed / reference speed; > 1 means GenStats is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
dotnet paket restore >/dev/null
dotnet build tests/GenStats.Benchmarks/GenStats.Benchmarks.csproj -c Release -nologo -v quiet
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(stats engine models physics)
# The physics suite compares its fit with a numpy/scipy reference (tests/GenStats.Benchmarks/reference);
# Debian's python3-scipy lives under /usr/bin/python3, which a pyenv shim on PATH may hide.
if [[ " ${suites[*]} " == *" physics "* ]]; then
    find_python() {
        for py in python3 /usr/bin/python3; do
            if command -v "$py" >/dev/null && "$py" -c "import numpy, scipy" 2>/dev/null; then echo "$py"; return 0; fi
        done
        return 1
    }
    if ! GENSTATS_PYTHON=$(find_python); then
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
            apt-get install -y python3-scipy python3-numpy >/dev/null 2>&1 \
                || { apt-get update >/dev/null 2>&1 && apt-get install -y python3-scipy python3-numpy >/dev/null 2>&1; } || true
        fi
        GENSTATS_PYTHON=$(find_python) || { echo "python3 with scipy unavailable: the physics suite prints absolute figures only"; GENSTATS_PYTHON=""; }
    fi
    export GENSTATS_PYTHON
fi
exec dotnet tests/GenStats.Benchmarks/bin/Release/net10.0/GenStats.Benchmarks.dll "${suites[@]}"
