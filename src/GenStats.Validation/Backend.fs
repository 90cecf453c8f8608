/// The compute backend of the networks, for scripts: the managed CPU backend (default) or the CUDA
/// backend of GenStats.Cuda (found at run time; the F# layer does not link it).
module GenStats.Validation.Backend

open GenStats.Tensors

/// Switches every later network computation to the CUDA GPU (device cuda:0). Raises
/// InvalidOperationException with one line "no CUDA device/driver/cuBLAS found: …" when there is
/// no GPU, no NVIDIA driver or no GenStats.Cuda.dll next to GenStats.Core.dll; then nothing changes.
let useCuda () = TensorBackend.UseCuda()

/// Like `useCuda` but returns false instead of raising (the reason is in `cudaProblem ()`).
let tryUseCuda () = TensorBackend.TryUseCuda()

/// Why the last `tryUseCuda` failed (one line), or None.
let cudaProblem () = Option.ofObj TensorBackend.CudaProblem

/// Switches back to the managed CPU backend.
let useCpu () = TensorBackend.UseManaged()

/// The device new tensors are created on, e.g. cpu:0 or cuda:0.
let device () = TensorBackend.Current.Device
