/// BatchNorm2d (training and evaluation statistics), LayerNorm over [C, H, W] and the convolution
/// layers: hand computations, PyTorch values and finite-difference gradients.
module GenStats.Tests.Nn.ConvLayerTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Nn
open GenStats.Tensors
open GenStats.Tests.Tolerance
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.TestMain

let private acc = { Absolute = 2e-6; Relative = 1e-5 }

let private near (expected: float) (actual: float32) what =
    assertClose acc expected (float actual) what

let ``batchnorm2d: training statistics, PyTorch's running update and evaluation by hand`` () =
    // One channel, values 1, 2, 3, 6 (N = 2, H = 1, W = 2): mean 3, biased variance (4+1+0+9)/4 = 3.5,
    // unbiased 14/3. Running mean 0.9·0 + 0.1·3 = 0.3; running variance 0.9·1 + 0.1·14/3 = 1.3666….
    let bn = BatchNorm2d(1)
    let x = Tensor.FromArray([| 1f; 2f; 3f; 6f |], 2, 1, 1, 2)
    let y = (bn.Forward x).ToArray()
    let sd = sqrt (3.5 + 1e-5)

    [| 1.; 2.; 3.; 6. |]
    |> Array.iteri (fun i v -> near ((v - 3.0) / sd) y[i] (sprintf "train y[%d]" i))

    near 0.3 (bn.RunningMean.ToArray()[0]) "running mean"
    near (0.9 + 0.1 * 14.0 / 3.0) (bn.RunningVar.ToArray()[0]) "running variance (unbiased batch variance)"
    bn.Eval()
    let ye = (bn.Forward x).ToArray()
    let sdRun = sqrt (0.9 + 0.1 * 14.0 / 3.0 + 1e-5)

    [| 1.; 2.; 3.; 6. |]
    |> Array.iteri (fun i v -> near ((v - 0.3) / sdRun) ye[i] (sprintf "eval y[%d]" i))

    Expect.equal
        (bn.NamedBuffers() |> Seq.map (fun b -> b.Name) |> List.ofSeq)
        [ "running_mean"; "running_var" ]
        "buffers"

    Expect.equal
        (bn.NamedParameters() |> Seq.map (fun b -> b.Name) |> List.ofSeq)
        [ "weight"; "bias" ]
        "parameters: γ, β"

let ``batchnorm2d matches PyTorch on two channels`` () =
    // /usr/bin/python3, torch 1.13.1: x[i] = sin(0.7 i) as [1,2,5,6]; bn = nn.BatchNorm2d(2); bn(x)
    // → y[:4], running_mean, running_var; then bn.eval(); bn(x)[:4].
    let x =
        Tensor.FromArray(Array.init 60 (fun i -> float32 (sin (0.7 * float i))), 1, 2, 5, 6)

    let bn = BatchNorm2d(2)
    let y = (bn.Forward x).ToArray()

    [| -0.080688; 0.83571; 1.321111; 1.147225 |]
    |> Array.iteri (fun i v -> near v y[i] (sprintf "train y[%d]" i))

    near 0.00567227927967906 (bn.RunningMean.ToArray()[0]) "running mean 0"
    near 0.0022473849821835756 (bn.RunningMean.ToArray()[1]) "running mean 1"
    near 0.9511224627494812 (bn.RunningVar.ToArray()[0]) "running var 0"
    near 0.9497420191764832 (bn.RunningVar.ToArray()[1]) "running var 1"
    bn.Eval()
    let ye = (bn.Forward x).ToArray()

    [| -0.005816; 0.654744; 1.004632; 0.879291 |]
    |> Array.iteri (fun i v -> near v ye[i] (sprintf "eval y[%d]" i))

let ``batchnorm2d refuses a single value per channel in training mode`` () =
    Expect.throwsT<ArgumentException> (fun () -> BatchNorm2d(3).Forward(Tensor.Zeros(1, 3, 1, 1)) |> ignore) "N·H·W = 1"
    Expect.throwsT<ArgumentException> (fun () -> BatchNorm2d(3).Forward(Tensor.Zeros(4, 2, 2, 2)) |> ignore) "channels"

let ``layernorm over [C, H, W]: each sample has mean 0 and variance 1`` () =
    let ln = LayerNorm([| 2; 3; 3 |])

    let x =
        Tensor.FromArray(Array.init 54 (fun i -> float32 (sin (1.3 * float i) * float (1 + i % 5))), 3, 2, 3, 3)

    let y = (ln.Forward x).ToArray()

    for n in 0..2 do
        let s = y[n * 18 .. n * 18 + 17] |> Array.map float
        let m = Array.average s
        assertClose acc 0.0 m (sprintf "mean of sample %d" n)
        // Biased variance v/(v + ε) with ε = 1e-5 relative to v ≈ O(1).
        assertClose
            { Absolute = 1e-4; Relative = 0.0 }
            1.0
            (s |> Array.averageBy (fun v -> (v - m) ** 2.0))
            (sprintf "variance of sample %d" n)

let private image: Gen<Input[]> =
    gen {
        let! n = Gen.choose (2, 3)
        let! c = Gen.choose (1, 2)
        let! h = Gen.choose (1, 3)
        let! w = Gen.choose (2, 3)
        let! x = inputOf [| n; c; h; w |] (values -1.5 1.5)
        return [| x |]
    }

/// Inputs whose per-channel (or per-sample) variance is not tiny: a near-constant slice makes the
/// normalisation ill-conditioned and its finite differences meaningless.
let private spread (axesOf: int[] -> int[][]) (ins: Input[]) =
    let v = ins[0].Values

    axesOf ins[0].Shape
    |> Array.forall (fun idx ->
        let s = idx |> Array.map (fun i -> float v[i])
        let m = Array.average s
        (s |> Array.averageBy (fun a -> (a - m) ** 2.0)) > 0.1)

let private channelIndices (shape: int[]) =
    let n, c, hw = shape[0], shape[1], shape[2] * shape[3]

    Array.init c (fun ch ->
        [|
            for b in 0 .. n - 1 do
                for k in 0 .. hw - 1 -> (b * c + ch) * hw + k
        |])

let private sampleIndices (shape: int[]) =
    let per = shape[1] * shape[2] * shape[3]
    Array.init shape[0] (fun b -> Array.init per (fun k -> b * per + k))

let ``gradients: batchnorm2d in training mode`` () =
    Prop.forAll (arb (image |> Gen.filter (spread channelIndices))) (fun ins ->
        let bn = BatchNorm2d(ins[0].Shape[1])
        checkBoth (fun xs -> Ops.Mul(bn.Forward xs[0], xs[0])) ins)

let ``gradients: layernorm over [C, H, W]`` () =
    Prop.forAll (arb (image |> Gen.filter (spread sampleIndices))) (fun ins ->
        let s = ins[0].Shape
        let ln = LayerNorm([| s[1]; s[2]; s[3] |])
        checkBoth (fun xs -> Ops.Mul(ln.Forward xs[0], xs[0])) ins)

let ``conv layers hold PyTorch-shaped weights and compute the functional op`` () =
    let rng = Rng(7UL)
    let conv = Conv2d(3, 5, 3, rng, stride = 2, padding = 1)
    Expect.equal (conv.Weight.Shape.ToArray()) [| 5; 3; 3; 3 |] "conv weight [out, in, k, k]"
    let bound = sqrt (6.0 / 27.0)

    Expect.isTrue
        (conv.Weight.ToArray() |> Array.forall (fun v -> abs (float v) <= bound))
        "Kaiming-uniform bound √(6/fan_in), fan_in = 3·3·3"

    let x = Rng(1UL).Normal(2, 3, 8, 6)
    let y = conv.Forward x
    Expect.equal (y.Shape.ToArray()) [| 2; 5; 4; 3 |] "stride-2 output"
    Expect.equal (y.ToArray()) ((Ops.Conv2d(x, conv.Weight, conv.Bias, 2, 1)).ToArray()) "module = functional op"
    let t = ConvTranspose2d(5, 3, 4, rng, stride = 2, padding = 1)
    Expect.equal (t.Weight.Shape.ToArray()) [| 5; 3; 4; 4 |] "transposed weight [in, out, k, k]"
    Expect.equal ((t.Forward y).Shape.ToArray()) [| 2; 3; 8; 6 |] "k=4, s=2, p=1 doubles the size"

let private cases =
    testList
        "Nn.ConvLayers"
        [
            testCase
                "batchnorm2d: training statistics, PyTorch's running update and evaluation by hand"
                ``batchnorm2d: training statistics, PyTorch's running update and evaluation by hand``
            testCase "batchnorm2d matches PyTorch on two channels" ``batchnorm2d matches PyTorch on two channels``
            testCase
                "batchnorm2d refuses a single value per channel in training mode"
                ``batchnorm2d refuses a single value per channel in training mode``
            testCase
                "layernorm over [C, H, W]: each sample has mean 0 and variance 1"
                ``layernorm over [C, H, W]: each sample has mean 0 and variance 1``
            testPropertyN 20 "gradients: batchnorm2d in training mode" ``gradients: batchnorm2d in training mode``
            testPropertyN 20 "gradients: layernorm over [C, H, W]" ``gradients: layernorm over [C, H, W]``
            testCase
                "conv layers hold PyTorch-shaped weights and compute the functional op"
                ``conv layers hold PyTorch-shaped weights and compute the functional op``
        ]

/// Every case on every backend of BackendCombos.all.
[<Tests>]
let tests = GenStats.Tests.Tensors.BackendCombos.onEach cases
