/// Each backend of BackendCombos.others against the managed one (DiffSharp's TestCombos pattern): the
/// same computation from the same inputs — values, first and second derivatives, GEMM, convolutions,
/// optimizer steps, RNG draws — must agree (bit for bit on the checked backend, which runs the managed
/// kernels; within float32 rounding on a GPU). Also the storage boundary: devices, To, Module.To, mixing.
module GenStats.Tests.Tensors.BackendComparisonTests

open Expecto
open System
open GenStats.Nn
open GenStats.Tensors
open GenStats.Tensors.Backends

/// Agreement of two float32 results: equal bits on the checked backend, |a − b| ≤ 1e-5·(1 + |a|) elsewhere.
let private agree (backend: string) (what: string) (reference: float32[]) (got: float32[]) =
    Expect.equal got.Length reference.Length (sprintf "%s: length" what)

    for i in 0 .. reference.Length - 1 do
        let a, b = reference[i], got[i]

        let ok =
            if backend = "checked-host" then
                BitConverter.SingleToInt32Bits a = BitConverter.SingleToInt32Bits b
            else
                (Single.IsNaN a && Single.IsNaN b)
                || abs (float a - float b) <= 1e-5 * (1.0 + abs (float a))

        if not ok then
            failtestf "%s on %s: element %d is %.9g, managed %.9g" what backend i b a

let private inputs (seed: uint64) (shape: int[]) = (Rng(seed).Normal(shape)).ToArray()

/// Runs `f` (which builds its tensors from host arrays and returns host arrays) on managed and on
/// each other backend, and compares every returned array.
let private onEachOther (name: string) (f: unit -> (string * float32[]) list) =
    testList
        name
        [
            for (bname, make) in BackendCombos.others ->
                testCase bname (fun () ->
                    let reference = BackendCombos.withBackend (ManagedBackend()) f
                    let got = BackendCombos.withBackend (make ()) f

                    for ((what, r), (_, g)) in List.zip reference got do
                        agree bname what r g)
        ]

let private t (values: float32[]) (shape: int list) =
    Tensor.FromArray(values, Array.ofList shape)

let private elementwise () =
    let x = inputs 1UL [| 7; 9 |]
    let pos = x |> Array.map (fun v -> abs v + 0.1f)
    let b = inputs 2UL [| 1; 9 |]
    let xt, pt, bt = t x [ 7; 9 ], t pos [ 7; 9 ], t b [ 1; 9 ]

    [
        "exp", Ops.Exp xt
        "log", Ops.Log pt
        "sqrt", Ops.Sqrt pt
        "pow", Ops.Pow(pt, 1.7f)
        "tanh", Ops.Tanh xt
        "sigmoid", Ops.Sigmoid xt
        "softplus", Ops.Softplus xt
        "relu", Ops.Relu xt
        "leaky", Ops.LeakyRelu(xt, 0.2f)
        "elu", Ops.Elu xt
        "abs", Ops.Abs xt
        "clamp", Ops.Clamp(xt, -0.5f, 0.7f)
        "sin", Ops.Sin xt
        "atan2", Ops.Atan2(xt, bt)
        "erf", Ops.Erf xt
        "add broadcast", Ops.Add(xt, bt)
        "div broadcast", Ops.Div(bt, pt)
        "maximum", Ops.Maximum(xt, bt)
        "where", Ops.Where(Ops.Relu xt, xt, bt)
        "sum axis 0", Ops.Sum(xt, 0)
        "mean axis 1", Ops.Mean(xt, 1)
        "max axis 1", Ops.Max(xt, 1)
        "logsumexp", Ops.LogSumExp(xt, 1)
        "softmax", Ops.Softmax(xt, 1)
        "cumsum", Ops.Cumsum(xt, 1)
        "take", Ops.Take(xt, [| 3; 0; 3 |], 1)
        "transpose", Ops.Transpose xt
        "concat", Ops.Concat([| xt; pt |], 0)
        "slice", Ops.SliceColumns(xt, 2, 4)
        "searchsorted", Ops.SearchSorted(Ops.Cumsum(pt, 1), xt)
    ]
    |> List.map (fun (n, y) -> n, y.ToArray())

let private derivatives () =
    let x = t (inputs 3UL [| 6; 5 |]) [ 6; 5 ] |> fun v -> v.RequireGrad()
    let w = t (inputs 4UL [| 5; 4 |]) [ 5; 4 ] |> fun v -> v.RequireGrad()
    let b = t (inputs 5UL [| 4 |]) [ 4 ] |> fun v -> v.RequireGrad()
    let y = Ops.LinearRelu(x, w, b)
    let h = Ops.Softplus(Ops.MatMul(Ops.Tanh(Ops.Linear(x, w, b)), Ops.Transpose w))
    let l = Ops.Add(Ops.Sum(Ops.Mul(Ops.Tanh y, y)), Ops.Mean(Ops.Square h))
    let g = Autograd.Grad(l, [| x; w; b |], createGraph = true)

    let s =
        g
        |> Array.map (fun v -> Ops.Sum(Ops.Square v))
        |> Array.reduce (fun a c -> Ops.Add(a, c))

    let gg = Autograd.Grad(s, [| x; w; b |])

    [ "value", l.ToArray() ]
    @ (g
       |> Array.mapi (fun i v -> sprintf "first derivative %d" i, v.ToArray())
       |> List.ofArray)
    @ (gg
       |> Array.mapi (fun i v -> sprintf "second derivative %d" i, v.ToArray())
       |> List.ofArray)

let private gemm () =
    [
        for ta in [ false; true ] do
            for tb in [ false; true ] do
                let a = t (inputs 6UL [| 70; 70 |]) [ 70; 70 ]
                let b = t (inputs 7UL [| 70; 70 |]) [ 70; 70 ]
                yield sprintf "matmul %b %b" ta tb, (Ops.MatMul(a, b, ta, tb)).ToArray()
    ]

let private conv () =
    let x = t (inputs 8UL [| 2; 3; 7; 6 |]) [ 2; 3; 7; 6 ] |> fun v -> v.RequireGrad()
    let w = t (inputs 9UL [| 4; 3; 3; 3 |]) [ 4; 3; 3; 3 ] |> fun v -> v.RequireGrad()
    let b = t (inputs 10UL [| 4 |]) [ 4 ] |> fun v -> v.RequireGrad()
    let y = Ops.Conv2d(x, w, b, stride = 2, padding = 1)
    let u = Ops.Upsample2x(y, UpsampleMode.Bilinear)
    let z = Ops.CenterCrop2d(Ops.Pad2d(u, 1, 0, 2, 1), 5, 5)
    let l = Ops.Sum(Ops.Square z)
    let g = Autograd.Grad(l, [| x; w; b |])

    [ "conv", y.ToArray(); "upsample+pad+crop", z.ToArray() ]
    @ (g
       |> Array.mapi (fun i v -> sprintf "gradient %d" i, v.ToArray())
       |> List.ofArray)

let private optimizers () =
    let run (make: Tensor list -> Optimizer) =
        let p = t (inputs 11UL [| 13 |]) [ 13 ] |> fun v -> v.RequireGrad()
        let q = t (inputs 12UL [| 3; 2 |]) [ 3; 2 ] |> fun v -> v.RequireGrad()
        let opt = make [ p; q ]

        for _ in 1..4 do
            opt.ZeroGrad()
            (Ops.Add(Ops.Sum(Ops.Square(Ops.Affine(p, 1f, -0.5f))), Ops.Sum(Ops.Exp q))).Backward()
            Training.ClipGradNorm([ p; q ], 3.0) |> ignore
            opt.Step()

        Array.append (p.ToArray()) (q.ToArray())

    [
        "sgd nesterov",
        run (fun ps -> Sgd(ps, SgdOptions(LearningRate = 0.1f, Momentum = 0.9f, Nesterov = true, WeightDecay = 0.01f)))
        "adam", run (fun ps -> Adam(ps, AdamOptions(LearningRate = 0.05f)))
        "adamw", run (fun ps -> Adam(ps, AdamOptions(LearningRate = 0.05f, WeightDecay = 0.1f, Decoupled = true)))
        "rmsprop", run (fun ps -> RmsProp(ps, RmsPropOptions(LearningRate = 0.01f, Momentum = 0.5f)))
    ]

let private draws () =
    let r = Rng(42UL)

    [
        "normal", (r.Normal(1000, 3)).ToArray()
        "uniform", (r.Uniform(257)).ToArray()
    ]

let private determinism () =
    // The same computation twice on one backend: the same bytes (compared with itself here, and
    // through onEachOther with the managed run).
    let once () =
        derivatives () |> List.collect (snd >> List.ofArray) |> Array.ofList

    let a, b = once (), once ()
    Expect.equal (Array.map BitConverter.SingleToInt32Bits b) (Array.map BitConverter.SingleToInt32Bits a) "rerun"
    [ "rerun", a ]

let ``tensors live on their backend's device, move with To and refuse mixing`` (backend: ITensorBackend) =
    let x = Tensor.FromArray([| 1f; 2f; 3f |], 3)
    Expect.equal x.Device backend.Device "a new tensor lives on the current backend's device"
    let cpu = x.To(Device.Cpu)
    Expect.equal cpu.Device Device.Cpu "To(cpu)"
    Expect.equal (cpu.ToArray()) [| 1f; 2f; 3f |] "values survive the move"
    let back = cpu.To(backend.Device)
    Expect.equal (back.ToArray()) [| 1f; 2f; 3f |] "and back"
    let span = Array.zeroCreate 4
    x.CopyTo(Span span)
    Expect.equal span [| 1f; 2f; 3f; 0f |] "CopyTo fills the front of the span"

    if backend.Device <> Device.Cpu then
        let e =
            try
                Ops.Add(x, cpu) |> ignore
                ""
            with :? InvalidOperationException as e ->
                e.Message

        Expect.isNotEmpty e "mixing devices throws InvalidOperationException"
        Expect.stringContains e (string backend.Device) "the message names the device"
        Expect.stringContains e "cpu:0" "and the other one"
        Expect.stringContains e "To(" "and the remedy"

        Expect.throwsT<InvalidOperationException>
            (fun () -> x.Values.Length |> ignore)
            "no host view of a device tensor"

let ``Module.To moves parameters and buffers in place and training continues`` (backend: ITensorBackend) =
    let net = Mlp.Create([| 3; 4; 2 |], seed = 3UL)
    let bn = BatchNorm2d(2)
    let before = net.Parameters() |> Seq.map (fun p -> p.ToArray()) |> Array.ofSeq
    let opt = Adam(net.Parameters(), AdamOptions())

    let target =
        if backend.Device = Device.Cpu then
            Device.Cpu
        else
            backend.Device
    // Built on the current backend; move to the CPU and back again, keeping the same tensor objects.
    net.To(Device.Cpu) |> ignore
    bn.To(Device.Cpu) |> ignore

    for p in net.Parameters() do
        Expect.equal p.Device Device.Cpu "parameter on the CPU"

    Expect.equal bn.RunningVar.Device Device.Cpu "buffer on the CPU"
    net.To(target) |> ignore
    let after = net.Parameters() |> Seq.map (fun p -> p.ToArray()) |> Array.ofSeq
    Expect.equal after before "values survive the round trip"
    let x = Tensor.FromArray(Array.init 6 float32, 2, 3)
    (Ops.Sum(net.Forward x)).Backward()
    opt.Step()
    Expect.notEqual ((net.Parameters()[0]).ToArray()) (before[0]) "the optimizer built before the move still updates"

let private cases =
    testList
        "Tensors.Backends"
        [
            onEachOther "element-wise, broadcasting, reductions and indexing" elementwise
            onEachOther "first and second derivatives through linear, matmul and activations" derivatives
            onEachOther "GEMM in every transpose combination" gemm
            onEachOther "convolution, resampling, padding and their gradients" conv
            onEachOther "optimizer steps with gradient clipping" optimizers
            onEachOther "the counter-based RNG gives the same draws for a seed" draws
            onEachOther "determinism: a rerun gives the same bytes" determinism
            BackendCombos.testOnEach
                "tensors live on their backend's device, move with To and refuse mixing"
                ``tensors live on their backend's device, move with To and refuse mixing``
            BackendCombos.testOnEach
                "Module.To moves parameters and buffers in place and training continues"
                ``Module.To moves parameters and buffers in place and training continues``
        ]

[<Tests>]
let tests = cases
