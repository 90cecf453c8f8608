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

# Reference tools: the prdc comparison needs Debian's python3-sklearn (numpy, scipy come with it).
if [[ " ${suites[*]} " == *" stats-prdc "* ]] && ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
    echo "installing python3-sklearn for the stats-prdc reference"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get install -y python3-sklearn >/dev/null || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y python3-sklearn >/dev/null; } \
        || echo "could not install python3-sklearn; the reference will be skipped"
fi
exec dotnet tests/GenStats.Benchmarks/bin/Release/net10.0/GenStats.Benchmarks.dll "${suites[@]}"
