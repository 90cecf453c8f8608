using System.CommandLine;
using GenStats.Tensors;

namespace GenStats.Cli;

/// <summary>
/// <c>--device cpu|cuda</c> of the verbs that run networks (train, sample): cpu is the managed
/// backend; cuda loads GenStats.Cuda (deployed next to genstats) and fails with one line
/// "no CUDA device/driver/cuBLAS found: …" and exit code 1 when there is no GPU or driver. Without
/// the option, <c>GENSTATS_BACKEND</c> decides (unset: cpu).
/// </summary>
internal static class CliDevice
{
    /// <summary>The option (no default: the environment variable applies when it is absent).</summary>
    public static Option<string?> Option() =>
        new("--device") { Description = $"Where networks run: cpu (the managed backend, default) or cuda (an NVIDIA GPU through GenStats.Cuda; needs the driver, uses cuBLAS when libcublas.so.12 is on the library path). Default: ${TensorBackend.EnvironmentVariable}, else cpu." };

    /// <summary>Selects the backend <paramref name="device"/> names (or the environment's).</summary>
    /// <exception cref="ArgumentException">An unknown device name.</exception>
    /// <exception cref="CliException">cuda asked and not available.</exception>
    public static void Select(string? device)
    {
        string source = device is null ? TensorBackend.EnvironmentVariable : "--device";
        string name = (device ?? Environment.GetEnvironmentVariable(TensorBackend.EnvironmentVariable) ?? "cpu").Trim().ToLowerInvariant();
        switch (name)
        {
            case "" or "cpu" or "managed":
                TensorBackend.UseManaged();
                break;
            case "cuda" or "gpu":
                if (!TensorBackend.TryUseCuda())
                    throw new CliException($"{TensorBackend.CudaProblem?.TrimEnd('.')}; run with --device cpu.");
                break;
            default:
                throw new ArgumentException($"{source} is '{name}'; allowed: cpu, cuda.");
        }
    }
}
