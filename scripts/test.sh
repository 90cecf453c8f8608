#!/usr/bin/env bash
# Restores tools and packages, builds Release, runs every test project and ends with the line
#   tests: N passed, M failed
# counted from the TRX result files. Exits non-zero on a build error or any failed test.
set -uo pipefail
cd "$(dirname "$0")/.."

results=out/test-results
rm -rf "$results"
mkdir -p "$results"

finish() { # passed failed exit-code
    echo "tests: $1 passed, $2 failed"
    exit "$3"
}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== restoring tools and packages"
dotnet tool restore || { echo "dotnet tool restore failed"; finish 0 1 1; }
dotnet paket restore || { echo "paket restore failed"; finish 0 1 1; }

echo "== installing report assets (plotly.js for the HTML report tests)"
bash scripts/install-report-assets.sh || { echo "report assets could not be installed"; finish 0 1 1; }

echo "== checking chromium (renders the HTML report in a test)"
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "chromium not found: installing Debian's chromium"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
            || echo "apt-get could not install chromium: the HTML rendering test will fail"
    else
        echo "chromium is missing and cannot be installed here (needs root and apt-get): the HTML rendering test will fail"
    fi
fi

echo "== building (Release)"
dotnet build GenStats.sln -c Release -nologo || { echo "build failed"; finish 0 1 1; }

status=0
for project in tests/*.Tests/*.fsproj; do
    name=$(basename "$project" .fsproj)
    echo "== testing $name"
    dotnet test "$project" -c Release --no-build --nologo \
        --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

passed=0
failed=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0} + ${e:-0}))
done
expected=$(ls tests/*.Tests/*.fsproj | wc -l)
found=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$found" -lt "$expected" ]; then
    echo "only $found of $expected test projects wrote results"
    failed=$((failed + expected - found))
    status=1
fi
[ "$failed" -eq 0 ] || status=1
finish "$passed" "$failed" "$status"
