namespace GenStats.Numerics;

/// <summary>
/// Writes files atomically: the content goes to a temporary file beside the target, which is
/// then renamed over it, so a crash never leaves a half-written model, table or report. The
/// temporary file (<c>.NAME.PID.GUID.tmp</c>) is deleted when the write fails or is cancelled, by
/// <see cref="DeletePending"/> (a signal handler calls it), and — when a killed process left it —
/// by the next write of the same target.
/// </summary>
public static class AtomicFile
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Pending = new();

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically. The
    /// stream is readable and seekable too (an HDF5 writer goes back to patch its headers).</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        DeleteStale(directory, Path.GetFileName(full));
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Pending[temp] = 0;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
            Pending.TryRemove(temp, out _);
        }
    }

    /// <summary>Deletes the temporary files of the writes in progress in this process (for a handler of SIGINT/SIGTERM that is about to end it).</summary>
    public static void DeletePending()
    {
        foreach (var temp in Pending.Keys)
        {
            try { File.Delete(temp); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the process ends anyway */ }
        }
    }

    /// <summary>Temporary files of <paramref name="name"/> left by a process that no longer runs (killed mid-write).</summary>
    private static void DeleteStale(string directory, string name)
    {
        string prefix = $".{name}.";
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(directory, $".{name}.*.tmp"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var file in candidates)
        {
            var parts = Path.GetFileName(file)[prefix.Length..].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], out int pid) || IsRunning(pid)) continue;
            try { File.Delete(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* not ours to remove */ }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes text (UTF-8, no BOM) atomically.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
}
