#!/usr/bin/env bash
# The main job: restores and builds what validation/validate.fsx needs, then runs it.
# Arguments are passed on to the script (e.g. --full).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
dotnet paket restore >/dev/null
bash scripts/install-report-assets.sh
dotnet build src/GenStats.Validation/GenStats.Validation.fsproj -c Release -nologo -v quiet
exec dotnet fsi validation/validate.fsx "$@"
