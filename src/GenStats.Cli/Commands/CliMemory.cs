using System.Globalization;

namespace GenStats.Cli;

/// <summary>
/// The size limit of every request: before allocating, a verb estimates the bytes it needs (events,
/// bins, replicas, batch size…) and this refuses an estimate above <see cref="Share"/> of the memory
/// available to the process (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours a
/// container's cgroup limit and DOTNET_GCHeapHardLimit), printing the estimate and the limit.
/// </summary>
internal static class CliMemory
{
    /// <summary>The share of the available memory one request may use (documented in docs/cli.md).</summary>
    public const double Share = 0.5;

    /// <summary>Bytes the process may use (the GC's view: physical memory, a cgroup cap or a heap hard limit).</summary>
    public static long Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Refuses when <paramref name="bytes"/> exceeds <see cref="Share"/> of <see cref="Available"/>; <paramref name="what"/> names the request (e.g. "--bins 100000000").</summary>
    public static void Require(double bytes, string what)
    {
        long available = Available;
        double limit = Share * available;
        if (bytes > limit || double.IsNaN(bytes))
            throw new CliException(
                $"{what} needs about {Format(bytes)} of memory, more than the limit of {Format(limit)} ({Share:P0} of the {Format(available)} available); ask for less.");
    }

    /// <summary>"1.5 GB" style, decimal units.</summary>
    public static string Format(double bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB"];
        int u = 0;
        while (bytes >= 1000 && u < units.Length - 1) { bytes /= 1000; u++; }
        return bytes.ToString(u == 0 ? "F0" : "G3", CultureInfo.InvariantCulture) + " " + units[u];
    }
}
