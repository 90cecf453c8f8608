#!/usr/bin/env bash
# Restores tools and packages, builds Release, runs every test project (Expecto console apps) and
# ends with the line
#   tests: N passed, M failed
# counted from their JUnit summaries. Exits non-zero on a build error, a failed check or test.
#   scripts/test.sh          everything (what CI runs)
#   scripts/test.sh --fast   leaves out the `slow` category (GAN training, Chromium, fsi scripts)
set -uo pipefail
cd "$(dirname "$0")/.."

fast=()
for arg in "$@"; do
    case $arg in
        --fast) fast=(--fast) ;;
        *) echo "unknown option $arg (use --fast or nothing)"; exit 2 ;;
    esac
done

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

echo "== checking the C compiler (compiles the exported C generator in a test)"
if ! command -v cc >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "no C compiler found: installing Debian's gcc"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libc6-dev >/dev/null; } \
            || echo "apt-get could not install gcc: the C export test will fail"
    else
        echo "no C compiler and none can be installed here (needs root and apt-get): the C export test will fail"
    fi
fi

echo "== checking h5py (reads GenStats' HDF5 image files in a test)"
if ! /usr/bin/python3 -c "import h5py" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "h5py not found: installing Debian's python3-h5py"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-h5py >/dev/null; } \
            || echo "apt-get could not install python3-h5py: the h5py interoperability test will fail"
    else
        echo "h5py is missing and cannot be installed here (needs root and apt-get): the h5py interoperability test will fail"
    fi
fi

echo "== building (Release)"
dotnet build GenStats.sln -c Release -nologo || { echo "build failed"; finish 0 1 1; }

status=0
echo "== checking the format (dotnet format, fantomas)"
bash scripts/check-format.sh || status=1

# validate.fsx (the main job, minutes long) is not run by the tests; it must at least type-check.
echo "== type-checking validation/validate.fsx"
dotnet fsi --typecheck-only validation/validate.fsx || { echo "validation/validate.fsx does not type-check"; status=1; }

echo "== checking the docs (F# API reference, F# examples)"
bash scripts/check-docs.sh || status=1

# The ensemble's Slurm test (slow category) submits to a single-node cluster on localhost; where it
# cannot start (not root, no apt-get), the reason is printed here and that test fails saying so.
if [ ${#fast[@]} -eq 0 ]; then
    echo "== starting a single-node Slurm cluster (scripts/slurm-local.sh; the ensemble's Slurm test)"
    if slurm_out=$(bash scripts/slurm-local.sh start) && [[ $(tail -1 <<<"$slurm_out") == "export SLURM_CONF="* ]]; then
        echo "$slurm_out"
        eval "$(tail -1 <<<"$slurm_out")"
        trap 'bash scripts/slurm-local.sh stop' EXIT
    else
        echo "Slurm could not start (reason above): the test Ensemble.slow.Slurm will fail"
    fi
fi

for project in tests/*.Tests/*.fsproj; do
    name=$(basename "$project" .fsproj)
    echo "== testing $name ${fast[*]}"
    dotnet "$(dirname "$project")/bin/Release/net10.0/$name.dll" --colours 0 --no-spinner \
        --junit-summary "$results/$name.xml" "${fast[@]}" || status=1
done

# Expecto's JUnit summary: one <testcase> per test, holding <failure>, <error> or <skipped> when
# it did not pass.
count() { grep -o "$1" "$2" | wc -l; }
passed=0
failed=0
for summary in "$results"/*.xml; do
    [ -e "$summary" ] || continue
    cases=$(count '<testcase ' "$summary")
    bad=$(( $(count '<failure' "$summary") + $(count '<error ' "$summary") ))
    skipped=$(count '<skipped' "$summary")
    passed=$((passed + cases - bad - skipped))
    failed=$((failed + bad))
    echo "$(basename "$summary" .xml): $((cases - bad - skipped)) passed, $bad failed, $skipped skipped"
done
expected=$(ls tests/*.Tests/*.fsproj | wc -l)
found=$(ls "$results"/*.xml 2>/dev/null | wc -l)
if [ "$found" -lt "$expected" ]; then
    echo "only $found of $expected test projects wrote results"
    failed=$((failed + expected - found))
    status=1
fi
[ "$passed" -gt 0 ] || { echo "no test ran"; status=1; }
[ "$failed" -eq 0 ] || status=1
finish "$passed" "$failed" "$status"
