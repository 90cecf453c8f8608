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

# Reference tools of the engine suite: Debian's numpy (linked to OpenBLAS) and PyTorch CPU.
# They live under /usr/bin/python3 (GENSTATS_PYTHON overrides), whatever python3 is first on PATH.
if [[ " ${suites[*]} " == *" engine "* ]]; then
    py=${GENSTATS_PYTHON:-/usr/bin/python3}
    if ! "$py" -c "import numpy, torch" >/dev/null 2>&1 || ! ls /usr/lib/x86_64-linux-gnu/libopenblas*.so* >/dev/null 2>&1; then
        echo "== installing python3-numpy libopenblas0 python3-torch (engine suite reference)"
        sudo_cmd=""
        [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-numpy libopenblas0 python3-torch >/dev/null
    fi
fi
exec dotnet tests/GenStats.Benchmarks/bin/Release/net10.0/GenStats.Benchmarks.dll "${suites[@]}"
