using GenStats.Tensors.Backends;

namespace GenStats.Tensors;

/// <summary>
/// Chooses the compute backend every tensor operation uses (MathNet.Numerics' provider-control
/// pattern). <see cref="UseManaged"/> selects the managed CPU backend; <see cref="TryUseCuda"/>
/// probes a separate GPU assembly by type name at run time (the core never links native code);
/// <see cref="UseDefault"/> reads the <c>GENSTATS_BACKEND</c> environment variable
/// (<c>managed</c>/<c>cpu</c>, <c>cuda</c>; unset = managed, cuda falls back to managed when absent).
/// </summary>
public static class TensorBackend
{
    /// <summary>The environment variable <see cref="UseDefault"/> reads.</summary>
    public const string EnvironmentVariable = "GENSTATS_BACKEND";

    /// <summary>Assembly-qualified type name of the GPU backend that <see cref="TryUseCuda"/> looks for.</summary>
    public const string CudaBackendTypeName = "GenStats.Tensors.Cuda.CudaBackend, GenStats.Cuda";

    private static ITensorBackend current = new ManagedBackend();
    private static readonly Dictionary<Device, ITensorBackend> Registered = new() { [Device.Cpu] = current };
    private static readonly object Gate = new();

    /// <summary>
    /// The backend in use: new tensors (<see cref="Tensor.Zeros(int[])"/>, <see cref="Tensor.FromArray(float[], Shape)"/>,
    /// <see cref="Rng"/> draws …) are created on its device. Operations run on the backend of their inputs' device.
    /// </summary>
    public static ITensorBackend Current => current;

    /// <summary>Uses the managed CPU backend.</summary>
    public static void UseManaged() => Use(new ManagedBackend { MaxThreads = current.MaxThreads });

    /// <summary>
    /// Uses a caller-supplied backend (e.g. a test double or an out-of-tree GPU backend) and registers
    /// it as the backend of its device (<see cref="For"/>).
    /// </summary>
    public static void Use(ITensorBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        lock (Gate) Registered[backend.Device] = backend;
        current = backend;
    }

    /// <summary>
    /// The backend registered for <paramref name="device"/>: the current one when it computes on that
    /// device, else the last one <see cref="Use"/> selected for it (the managed backend for <see cref="Device.Cpu"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No backend for that device was ever selected.</exception>
    public static ITensorBackend For(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var c = current;
        if (c.Device == device) return c;
        lock (Gate)
        {
            if (Registered.TryGetValue(device, out var b)) return b;
            throw new InvalidOperationException(
                $"no backend is registered for device {device}; registered: {string.Join(", ", Registered.Keys)}. Select one with TensorBackend.Use (or TryUseCuda) first.");
        }
    }

    /// <summary>The prefix of every reason <see cref="CudaProblem"/> gives (one line, for the CLI and logs).</summary>
    public const string NoCudaPrefix = "no CUDA device/driver/cuBLAS found: ";

    /// <summary>
    /// Why the last <see cref="TryUseCuda"/> found no usable CUDA backend, as one line starting with
    /// <see cref="NoCudaPrefix"/>; null before any try and after a success.
    /// </summary>
    public static string? CudaProblem { get; private set; }

    /// <summary>
    /// Tries to load the CUDA backend assembly (GenStats.Cuda, next to the application) by type name;
    /// returns true and switches to it when it is present and a CUDA device answers, false (leaving
    /// the current backend, and the reason in <see cref="CudaProblem"/>) otherwise.
    /// </summary>
    public static bool TryUseCuda()
    {
        try
        {
            var type = Type.GetType(CudaBackendTypeName, throwOnError: false) ?? LoadBesideCore();
            if (type is null || !typeof(ITensorBackend).IsAssignableFrom(type))
            {
                CudaProblem = NoCudaPrefix + $"the GenStats.Cuda assembly is not next to the application ({AppContext.BaseDirectory}); reference or deploy it.";
                return false;
            }
            if (Activator.CreateInstance(type) is not ITensorBackend backend)
            {
                CudaProblem = NoCudaPrefix + $"{type.FullName} did not construct.";
                return false;
            }
            Use(backend);
            CudaProblem = null;
            return true;
        }
        catch (Exception e) when (e is TypeLoadException or System.IO.FileNotFoundException or System.IO.FileLoadException
                                       or BadImageFormatException or MissingMethodException or System.Reflection.TargetInvocationException)
        {
            // The backend's constructor says why in one line (no device, no driver); keep it.
            string why = (e.InnerException ?? e).Message;
            CudaProblem = why.StartsWith(NoCudaPrefix, StringComparison.Ordinal) ? why : NoCudaPrefix + why;
            return false;
        }
    }

    /// <summary>
    /// Hosts that do not probe the application folder (F# Interactive loading GenStats.Core.dll by
    /// path) find the backend in GenStats.Cuda.dll beside GenStats.Core.dll.
    /// </summary>
    private static Type? LoadBesideCore()
    {
        string? dir = Path.GetDirectoryName(typeof(TensorBackend).Assembly.Location);
        string path = Path.Combine(dir ?? "", "GenStats.Cuda.dll");
        if (string.IsNullOrEmpty(dir) || !File.Exists(path)) return null;
        return System.Reflection.Assembly.LoadFrom(path).GetType(CudaBackendTypeName.Split(',')[0], throwOnError: false);
    }

    /// <summary>Switches to the CUDA backend or throws.</summary>
    /// <exception cref="InvalidOperationException">No CUDA backend: the message is <see cref="CudaProblem"/>.</exception>
    public static void UseCuda()
    {
        if (!TryUseCuda()) throw new InvalidOperationException(CudaProblem);
    }

    /// <summary>Selects the backend named by <c>GENSTATS_BACKEND</c> (default managed).</summary>
    /// <exception cref="ArgumentException">The variable names an unknown backend.</exception>
    public static void UseDefault()
    {
        var name = (Environment.GetEnvironmentVariable(EnvironmentVariable) ?? "").Trim().ToLowerInvariant();
        switch (name)
        {
            case "":
            case "managed":
            case "cpu":
                UseManaged();
                break;
            case "cuda":
            case "gpu":
                if (!TryUseCuda()) UseManaged();
                break;
            default:
                throw new ArgumentException(
                    $"{EnvironmentVariable} is '{name}'; allowed: managed (or cpu), cuda (or gpu).", EnvironmentVariable);
        }
    }

    /// <summary>Threads one operation may use on the current backend.</summary>
    public static int MaxThreads
    {
        get => current.MaxThreads;
        set => current.MaxThreads = value;
    }
}
