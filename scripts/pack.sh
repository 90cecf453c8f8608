#!/usr/bin/env bash
# Packs GenStats.Core and GenStats.Validation (package id "GenStats") into a local NuGet feed, with
# XML docs, the MIT license, the README and SourceLink (portable PDBs inside the packages):
#   scripts/pack.sh [--out DIR] [--version V] [--no-build]
# DIR defaults to out/nuget. An F# script anywhere can then use the feed:
#   #i "nuget: /absolute/path/to/out/nuget"
#   #r "nuget: GenStats, 0.2.0"
set -euo pipefail
cd "$(dirname "$0")/.."
out=out/nuget
version=""
build=()
while [ $# -gt 0 ]; do
    case $1 in
        --out) out=$2; shift 2 ;;
        --version) version=$2; shift 2 ;;
        --no-build) build=(--no-build); shift ;;
        *) echo "unknown option $1 (use --out DIR, --version V, --no-build)"; exit 2 ;;
    esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ ${#build[@]} -eq 0 ]; then
    dotnet tool restore >/dev/null
    dotnet paket restore >/dev/null
fi
mkdir -p "$out"
props=()
[ -n "$version" ] && props=("-p:PackageVersion=$version")
for project in src/GenStats.Core/GenStats.Core.csproj src/GenStats.Validation/GenStats.Validation.fsproj; do
    dotnet pack "$project" -c Release -nologo -v quiet "${build[@]}" "${props[@]}" -o "$out"
done
echo "packed into $out:"
ls -1 "$out"
