#!/usr/bin/env bash
# Builds the bundle for a GPU machine that has CUDA and PyTorch but no dotnet (issue 15):
# a self-contained linux-x64 publish of the benchmarks (the `gpu` suite) and of the core tests (the
# backend tests) into one folder — they share the runtime — plus scripts/gpu-check.sh, packed as
# OUT/genstats-gpu.tar.gz (must stay ≤ 64 MiB, what may be carried to that machine).
# Usage: scripts/publish-gpu.sh [OUT]   (default artifacts/gpu)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=${1:-artifacts/gpu}
limit=$((64 * 1024 * 1024))
rm -rf "$out/genstats-gpu" "$out/genstats-gpu.tar.gz"
mkdir -p "$out/genstats-gpu"
for project in tests/GenStats.Benchmarks/GenStats.Benchmarks.csproj tests/GenStats.Core.Tests/GenStats.Core.Tests.fsproj; do
    dotnet publish "$project" -c Release -r linux-x64 --self-contained true -o "$out/genstats-gpu" \
        -p:DebugType=none -p:GenerateDocumentationFile=false -nologo -v quiet
done
# Nothing the GPU run uses needs symbols, XML docs, Windows binaries, ONNX Runtime (the export
# tests, not run there) or BenchmarkDotNet's disassembler: ≈ 53 MB less unpacked (≈ 46 MiB packed).
find "$out/genstats-gpu" \( -name '*.pdb' -o -name '*.xml' -o -name '*.dll' -path '*/runtimes/win*' \) -delete
rm -f "$out/genstats-gpu"/onnxruntime.dll "$out/genstats-gpu"/libonnxruntime.so "$out/genstats-gpu"/libcapstone.so
cp scripts/gpu-check.sh "$out/genstats-gpu/"
tar -C "$out" -czf "$out/genstats-gpu.tar.gz" genstats-gpu
size=$(stat -c %s "$out/genstats-gpu.tar.gz")
echo "wrote $out/genstats-gpu.tar.gz: $((size / 1024 / 1024)) MiB ($(du -sh "$out/genstats-gpu" | cut -f1) unpacked)"
if [ "$size" -gt "$limit" ]; then
    echo "the bundle is $size bytes, over the 64 MiB that may be carried to the GPU machine" >&2
    exit 1
fi
