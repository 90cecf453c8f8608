#!/usr/bin/env bash
# Checks that the docs cannot drift from the code; run after the Release build
# (dotnet build GenStats.sln -c Release, or at least src/GenStats.Validation):
#   1. docs/fsharp-api.md matches the compiled F# API   (scripts/fsharp-api.fsx --check)
#   2. every F# example in README.md and docs/*.md type-checks (scripts/check-doc-examples.fsx)
# Both always run; exits non-zero when either fails. Ends with the line "docs: ok" or "docs: FAILED (...)".
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

failed=()
echo "== checking docs/fsharp-api.md against the compiled F# API"
dotnet fsi scripts/fsharp-api.fsx --check || failed+=("fsharp-api.md out of date")
echo "== type-checking the F# examples in README.md and docs/*.md"
dotnet fsi scripts/check-doc-examples.fsx || failed+=("doc examples")

if [ ${#failed[@]} -eq 0 ]; then
    echo "docs: ok"
else
    echo "docs: FAILED ($(IFS=,; echo "${failed[*]}" | sed 's/,/, /g'))"
    exit 1
fi
