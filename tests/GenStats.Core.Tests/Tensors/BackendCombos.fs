/// Every backend the engine tests run on (DiffSharp's TestCombos pattern): the managed one first
/// (the reference), then the test-only checked backend, the ILGPU kernels on ILGPU's CPU accelerator,
/// then any GPU backend found at run time.
module GenStats.Tests.Tensors.BackendCombos

open Expecto
open GenStats.Tensors
open GenStats.Tensors.Backends

/// The CUDA backend when its assembly loads and a GPU answers (never in CI), else nothing.
let private cuda () : (string * (unit -> ITensorBackend)) list =
    let saved = TensorBackend.Current

    try
        if TensorBackend.TryUseCuda() then
            let b = TensorBackend.Current
            [ "cuda", (fun () -> b) ]
        else
            []
    finally
        TensorBackend.Use saved

/// The ILGPU backend on ILGPU's CPU accelerator (GenStats.Cuda's kernels without a GPU): one
/// instance for the run, since loading its kernels takes a few seconds. With GENSTATS_TEST_ILGPU=cuda
/// (scripts/gpu-check.sh on a GPU machine) the same kernel tests run on the CUDA backend instead.
let ilgpuCpu =
    lazy
        (if System.Environment.GetEnvironmentVariable "GENSTATS_TEST_ILGPU" = "cuda" then
             new GenStats.Tensors.Cuda.CudaBackend() :> ITensorBackend
         else
             GenStats.Tensors.Cuda.IlgpuBackend.CreateCpu() :> ITensorBackend)

/// The whole engine suite on ILGPU's CPU accelerator only with GENSTATS_TEST_ILGPU=all: the emulator
/// takes minutes for it, beyond CI's budget on 2 cores. The normal run checks every kernel there
/// through the kernel-vs-managed tests (Tensors/Ilgpu), which use `ilgpuCpu` directly.
let private ilgpuSuite () : (string * (unit -> ITensorBackend)) list =
    if System.Environment.GetEnvironmentVariable "GENSTATS_TEST_ILGPU" = "all" then
        [ "ilgpu-cpu", (fun () -> ilgpuCpu.Force()) ]
    else
        []

/// (name, make) for each backend, managed first.
let all: (string * (unit -> ITensorBackend)) list =
    [
        "managed", (fun () -> ManagedBackend() :> ITensorBackend)
        "checked-host", (fun () -> CheckedHostBackend.CheckedHostBackend() :> ITensorBackend)
    ]
    @ ilgpuSuite ()
    @ cuda ()

/// The backends other than the managed reference.
let others = List.tail all

/// Runs f with `backend` as the current backend, restoring the previous one (and its MaxThreads) after.
let withBackend (backend: ITensorBackend) (f: unit -> 'a) : 'a =
    let saved = TensorBackend.Current
    backend.MaxThreads <- saved.MaxThreads
    TensorBackend.Use backend

    try
        f ()
    finally
        TensorBackend.Use saved

/// One Expecto test per backend: "name [backend]", run with that backend current.
let testOnEach (name: string) (body: ITensorBackend -> unit) : Test =
    testList
        name
        [
            for (bname, make) in all ->
                testCase bname (fun () ->
                    let b = make ()
                    withBackend b (fun () -> body b))
        ]

/// Switches to `backend` for the duration of an async computation (FsCheck properties run as such).
let private withBackendAsync (backend: ITensorBackend) (work: Async<unit>) : Async<unit> =
    async {
        let saved = TensorBackend.Current
        backend.MaxThreads <- saved.MaxThreads
        TensorBackend.Use backend

        try
            return! work
        finally
            TensorBackend.Use saved
    }

let private onBackend (make: unit -> ITensorBackend) (code: TestCode) : TestCode =
    match code with
    | Sync f -> Sync(fun () -> withBackend (make ()) f)
    | SyncWithCancel f -> SyncWithCancel(fun ct -> withBackend (make ()) (fun () -> f ct))
    | Async a -> Async(withBackendAsync (make ()) a)
    | AsyncFsCheck(c1, c2, f) -> AsyncFsCheck(c1, c2, (fun cfg -> withBackendAsync (make ()) (f cfg)))

/// Every test case of `tests` becomes one case per backend of `all` (named by the backend), each run
/// with that backend current — except the cases whose names are in `managedOnly` (tests of the
/// managed backend itself: its pool, its thread control), which stay as they are.
let rec onEachExcept (managedOnly: string list) (tests: Test) : Test =
    match tests with
    | TestLabel(name, TestCase(code, focus), state) when not (List.contains name managedOnly) ->
        TestLabel(
            name,
            TestList(
                [
                    for (bname, make) in all -> TestLabel(bname, TestCase(onBackend make code, focus), state)
                ],
                state
            ),
            state
        )
    | TestLabel(name, t, state) -> TestLabel(name, onEachExcept managedOnly t, state)
    | TestList(ts, state) -> TestList(ts |> List.map (onEachExcept managedOnly), state)
    | Test.Sequenced(m, t) -> Test.Sequenced(m, onEachExcept managedOnly t)
    | TestCase _ as t -> t

/// Every test case of `tests` on every backend (see onEachExcept).
let onEach (tests: Test) : Test = onEachExcept [] tests

/// A buffer of `backend` holding a copy of `values`.
let upload (backend: ITensorBackend) (values: float32[]) : TensorBuffer =
    let b = backend.Allocate values.Length
    backend.CopyFromHost(System.ReadOnlySpan values, b, 0)
    b

/// A host copy of a buffer.
let download (backend: ITensorBackend) (buffer: TensorBuffer) : float32[] =
    let a = Array.zeroCreate buffer.Length
    backend.CopyToHost(buffer, 0, System.Span a)
    a

/// Runs `f` on the managed backend and on `backend` and returns both results (host values).
let onBoth (backend: ITensorBackend) (f: unit -> float32[]) : float32[] * float32[] =
    let reference = withBackend (ManagedBackend()) f
    reference, withBackend backend f
