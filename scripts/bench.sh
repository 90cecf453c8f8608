#!/usr/bin/env bash
# Benchmarks: scripts/bench.sh [SUITE...]   (suites: stats engine models physics stats-nd compare-scale gpu; default: the first four)
# Each suite prints its absolute figures, then one `ratio: NAME VALUE` line per comparison
# (GenStats speed / reference speed; > 1 means GenStats is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
dotnet paket restore >/dev/null
dotnet build tests/GenStats.Benchmarks/GenStats.Benchmarks.csproj -c Release -nologo -v quiet
suites=("$@")
# compare-scale times the real CLI as a child process.
if [[ " $* " == *" compare-scale "* ]]; then dotnet build src/GenStats.Cli -c Release -nologo -v quiet; fi
[ ${#suites[@]} -gt 0 ] || suites=(stats engine models physics)
# gpu alone: the CUDA backend against PyTorch CUDA (python3 with torch on that machine); without a
# GPU the suite prints one line saying why and exits 0, so no CPU reference environment is needed.
if [ "${suites[*]}" = gpu ]; then
    exec dotnet tests/GenStats.Benchmarks/bin/Release/net10.0/GenStats.Benchmarks.dll gpu
fi

# Reference tools live in Debian's python (/usr/bin/python3; GENSTATS_PYTHON overrides), whatever
# python3 comes first on PATH. Each suite names the modules it needs and the packages that bring them.
py=${GENSTATS_PYTHON:-/usr/bin/python3}
# The suites start the references through scripts/reference-python.sh, which unsets
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for the reference command only (see that script).
export GENSTATS_REFERENCE_PYTHON=$py
export GENSTATS_PYTHON="$PWD/scripts/reference-python.sh"
ensure_reference() { # "mod1, mod2" package...
    local modules=$1
    shift
    if ! "$py" -c "import $modules" >/dev/null 2>&1; then
        echo "== installing $* (reference for the benchmarks)"
        local sudo_cmd=""
        [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
        { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null; } \
            || echo "could not install $*: reference figures for these suites will be missing"
    fi
}
for suite in "${suites[@]}"; do
    case $suite in
        engine|models) ensure_reference "numpy, torch, threadpoolctl" python3-numpy libopenblas0 python3-torch python3-threadpoolctl ;;
        stats*) ensure_reference "numpy, scipy, sklearn, threadpoolctl" python3-numpy python3-scipy python3-sklearn python3-threadpoolctl ;;
        physics) ensure_reference "numpy, scipy, threadpoolctl" python3-numpy python3-scipy python3-threadpoolctl ;;
    esac
done
# numpy and torch must run OpenBLAS, not netlib's reference BLAS (Debian installs libblas3 with
# numpy; that one is ~50× slower and would make every ratio meaningless).
if ! dpkg -s libopenblas0-pthread >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "== installing libopenblas0-pthread (the references' BLAS)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas0-pthread >/dev/null \
        || echo "could not install libopenblas0-pthread"
fi
echo "== reference environment (here OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}; the references run through scripts/reference-python.sh)"
"$GENSTATS_PYTHON" scripts/blas-kernel.py || { echo "the references would not run on OpenBLAS: no benchmark"; exit 1; }
exec dotnet tests/GenStats.Benchmarks/bin/Release/net10.0/GenStats.Benchmarks.dll "${suites[@]}"
