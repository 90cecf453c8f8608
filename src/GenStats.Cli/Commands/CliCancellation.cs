using System.Runtime.InteropServices;
using GenStats.Numerics;

namespace GenStats.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM, alike. While a <see cref="Scope"/> is open (neural training) a signal
/// cancels its token and the verb stops cleanly at the next step. Outside one, the process ends as
/// usual, after deleting the temporary file of any write in progress (<see cref="AtomicFile.DeletePending"/>),
/// so no hidden <c>.tmp</c> file is left behind.
/// </summary>
internal static class CliCancellation
{
    private static CancellationTokenSource? active;
    private static readonly List<PosixSignalRegistration> Registrations = [];

    /// <summary>Installs the handlers (once per process).</summary>
    public static void Install()
    {
        if (Registrations.Count > 0) return;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            Registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
    }

    private static void OnSignal(PosixSignalContext context)
    {
        var cts = active;
        if (cts is not null && !cts.IsCancellationRequested)
        {
            context.Cancel = true; // keep running: the verb stops at a safe point
            cts.Cancel();
            return;
        }
        AtomicFile.DeletePending();
    }

    /// <summary>A cancellable region; dispose it to leave.</summary>
    public static Scope Open() => new();

    /// <summary>A token cancelled by SIGINT or SIGTERM while the scope is open.</summary>
    public sealed class Scope : IDisposable
    {
        private readonly CancellationTokenSource _cts = new();

        internal Scope() => active = _cts;

        /// <summary>Cancelled by the first signal.</summary>
        public CancellationToken Token => _cts.Token;

        /// <summary>Leaves the region: a later signal ends the process.</summary>
        public void Dispose()
        {
            if (ReferenceEquals(active, _cts)) active = null;
            _cts.Dispose();
        }
    }
}
