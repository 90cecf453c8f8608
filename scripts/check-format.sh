#!/usr/bin/env bash
# The format check of scripts/test.sh: C# with `dotnet format --verify-no-changes` (rules in
# .editorconfig), F# with fantomas (the local tool pinned in .config/dotnet-tools.json).
# To fix what it reports: `dotnet format PROJECT` and `dotnet fantomas FILE…`.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for project in src/GenStats.Core/GenStats.Core.csproj src/GenStats.Cli/GenStats.Cli.csproj \
    src/GenStats.Cuda/GenStats.Cuda.csproj tests/GenStats.Benchmarks/GenStats.Benchmarks.csproj; do
    dotnet format "$project" --verify-no-changes -v q || { echo "format: $project needs dotnet format"; status=1; }
done
# Every tracked F# file (fantomas refuses folders that hold build output, so list the files).
mapfile -t fsharp < <(git ls-files '*.fs' '*.fsx' 2>/dev/null || find src tests validation scripts -name '*.fs' -o -name '*.fsx')
if [ ${#fsharp[@]} -gt 0 ]; then
    dotnet fantomas --check "${fsharp[@]}" || { echo "format: the F# files above need dotnet fantomas"; status=1; }
fi
[ $status -eq 0 ] && echo "format: ok" || echo "format: FAILED"
exit $status
