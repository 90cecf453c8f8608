/// Conv2d, ConvTranspose2d, 2× upsampling, pad/crop and flatten: direct-loop references for random
/// shapes, PyTorch values, hand-computed cases, and first- and second-order gradients against
/// finite differences.
module GenStats.Tests.Tensors.ConvTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Tensors
open GenStats.Tensors.Backends
open GenStats.Tests.Tolerance
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.TestMain

/// Float32 sums of at most a few hundred O(1) products: 1e-5 absolute and relative.
let private sumAccuracy = { Absolute = 1e-5; Relative = 1e-5 }

/// PyTorch prints 6 decimals: half a unit of the last one plus float32 rounding.
let private torchAccuracy = { Absolute = 2e-6; Relative = 1e-6 }

let private assertAll (acc: Accuracy) (expected: float[]) (actual: float32[]) (what: string) =
    Expect.equal actual.Length expected.Length (sprintf "%s: length" what)

    for i in 0 .. expected.Length - 1 do
        assertClose acc expected[i] (float actual[i]) (sprintf "%s[%d]" what i)

/// One convolution problem: sizes and float32 values.
type ConvCase =
    {
        N: int
        C: int
        H: int
        W: int
        O: int
        K: int
        Stride: int
        Pad: int
        X: float32[]
        Wt: float32[]
        Bias: float32[]
    }

let private outSize (len: int) k s p = (len + 2 * p - k) / s + 1

/// conv2d by its definition, in float64: y[n,o,i,j] = b[o] + Σ w[o,c,ki,kj]·x[n,c,i·s−p+ki, j·s−p+kj].
let convReference (c: ConvCase) =
    let oh, ow = outSize c.H c.K c.Stride c.Pad, outSize c.W c.K c.Stride c.Pad

    Array.init (c.N * c.O * oh * ow) (fun idx ->
        let j = idx % ow
        let i = (idx / ow) % oh
        let o = (idx / (ow * oh)) % c.O
        let n = idx / (ow * oh * c.O)
        let mutable s = float c.Bias[o]

        for ci in 0 .. c.C - 1 do
            for ki in 0 .. c.K - 1 do
                for kj in 0 .. c.K - 1 do
                    let ih, iw = i * c.Stride - c.Pad + ki, j * c.Stride - c.Pad + kj

                    if ih >= 0 && ih < c.H && iw >= 0 && iw < c.W then
                        s <-
                            s
                            + float c.Wt[((o * c.C + ci) * c.K + ki) * c.K + kj]
                              * float c.X[((n * c.C + ci) * c.H + ih) * c.W + iw]

        s)

/// conv_transpose2d by its definition (scatter): x [N, Cin=O, H', W'] and weight [O, C, k, k] give
/// y [N, C, (H'−1)s − 2p + k + op, …] with y[n, c, i·s−p+ki, j·s−p+kj] += x[n,o,i,j]·w[o,c,ki,kj].
let convTransposeReference (x: float32[]) n cin hin win (wt: float32[]) cout k s p op =
    let h, w = (hin - 1) * s - 2 * p + k + op, (win - 1) * s - 2 * p + k + op
    let y = Array.zeroCreate<float> (n * cout * max 0 h * max 0 w)

    for b in 0 .. n - 1 do
        for ci in 0 .. cin - 1 do
            for i in 0 .. hin - 1 do
                for j in 0 .. win - 1 do
                    for co in 0 .. cout - 1 do
                        for ki in 0 .. k - 1 do
                            for kj in 0 .. k - 1 do
                                let oi, oj = i * s - p + ki, j * s - p + kj

                                if oi >= 0 && oi < h && oj >= 0 && oj < w then
                                    let t = ((b * cout + co) * h + oi) * w + oj

                                    y[t] <-
                                        y[t]
                                        + float x[((b * cin + ci) * hin + i) * win + j]
                                          * float wt[((ci * cout + co) * k + ki) * k + kj]

    y, h, w

/// The weight gradient of L = Σ c·conv(x, w) by its definition, in float64:
/// dL/dw[o,ci,ki,kj] = Σ_{n,i,j} c[n,o,i,j]·x[n,ci,i·s−p+ki, j·s−p+kj].
let weightGradientReference (c: ConvCase) (weights: float32[]) =
    let oh, ow = outSize c.H c.K c.Stride c.Pad, outSize c.W c.K c.Stride c.Pad

    Array.init (c.O * c.C * c.K * c.K) (fun idx ->
        let kj = idx % c.K
        let ki = (idx / c.K) % c.K
        let ci = (idx / (c.K * c.K)) % c.C
        let o = idx / (c.K * c.K * c.C)
        let mutable s = 0.0

        for n in 0 .. c.N - 1 do
            for i in 0 .. oh - 1 do
                for j in 0 .. ow - 1 do
                    let ih, iw = i * c.Stride - c.Pad + ki, j * c.Stride - c.Pad + kj

                    if ih >= 0 && ih < c.H && iw >= 0 && iw < c.W then
                        s <-
                            s
                            + float weights[((n * c.O + o) * oh + i) * ow + j]
                              * float c.X[((n * c.C + ci) * c.H + ih) * c.W + iw]

        s)

let private convCase: Gen<ConvCase> =
    gen {
        let! n = Gen.choose (1, 3)
        let! c = Gen.choose (1, 3)
        let! o = Gen.choose (1, 4)
        let! k = Gen.choose (1, 4)
        let! s = Gen.choose (1, 3)
        let! p = Gen.choose (0, 2)
        // Sizes with H + 2p ≥ k.
        let! h = Gen.choose (max 1 (k - 2 * p), 9)
        let! w = Gen.choose (max 1 (k - 2 * p), 9)
        let! x = Gen.arrayOfLength (n * c * h * w) (values -1.0 1.0)
        let! wt = Gen.arrayOfLength (o * c * k * k) (values -1.0 1.0)
        let! b = Gen.arrayOfLength o (values -1.0 1.0)

        return
            {
                N = n
                C = c
                H = h
                W = w
                O = o
                K = k
                Stride = s
                Pad = p
                X = x
                Wt = wt
                Bias = b
            }
    }

let private runConv (c: ConvCase) =
    Ops
        .Conv2d(
            Tensor.FromArray(c.X, c.N, c.C, c.H, c.W),
            Tensor.FromArray(c.Wt, c.O, c.C, c.K, c.K),
            Tensor.FromArray(c.Bias, c.O),
            c.Stride,
            c.Pad
        )
        .ToArray()

let ``conv2d equals the direct loop for random shapes`` () =
    Prop.forAll (Arb.fromGen convCase) (fun c ->
        assertAll sumAccuracy (convReference c) (runConv c) (sprintf "conv2d %A" { c with X = [||]; Wt = [||] })
        true)

let ``conv_transpose2d equals the direct scatter loop for random shapes`` () =
    Prop.forAll (Arb.fromGen convCase) (fun c ->
        // Reuse the case: x plays the transposed convolution's input [N, C, H, W], weight [C, O, k, k].
        let wt = Array.init (c.C * c.O * c.K * c.K) (fun i -> c.Wt[i % c.Wt.Length])
        let op = if c.Stride > 1 then 1 else 0

        let expected, h, w =
            convTransposeReference c.X c.N c.C c.H c.W wt c.O c.K c.Stride c.Pad op

        if h >= 1 && w >= 1 then
            let y =
                Ops.ConvTranspose2d(
                    Tensor.FromArray(c.X, c.N, c.C, c.H, c.W),
                    Tensor.FromArray(wt, c.C, c.O, c.K, c.K),
                    stride = c.Stride,
                    padding = c.Pad,
                    outputPadding = op
                )

            Expect.equal (y.Shape.ToArray()) [| c.N; c.O; h; w |] "output shape"
            assertAll sumAccuracy expected (y.ToArray()) "conv_transpose2d"

        true)

/// A case large enough for the packed GEMM, one image per group, and 12 groups summed in 8
/// weight-gradient partials (some partials accumulate two groups).
let private largeCase =
    let n, c, h, w, o, k = 12, 3, 20, 17, 6, 3
    let v (f: int -> float) len = Array.init len (fun i -> float32 (f i))

    {
        N = n
        C = c
        H = h
        W = w
        O = o
        K = k
        Stride = 1
        Pad = 1
        X = v (fun i -> sin (0.37 * float i)) (n * c * h * w)
        Wt = v (fun i -> 0.3 * cos (1.1 * float i)) (o * c * k * k)
        Bias = v (fun i -> 0.1 * float i) o
    }

/// Wide stride-2 rows (W = 37: 19 outputs per row, so the eight-wide even-element gather runs twice and
/// leaves a tail) and one output channel (fewer rows than a GEMM tile): the direct loop, 1 and 2 threads.
let ``stride-2 gathers of wide rows and one-channel outputs equal the direct loop`` () =
    let saved = TensorBackend.MaxThreads

    try
        for (o, s) in [ (5, 2); (1, 1); (1, 2) ] do
            let c =
                { largeCase with
                    N = 3
                    H = 11
                    W = 37
                    O = o
                    Stride = s
                    X = Array.init (3 * largeCase.C * 11 * 37) (fun i -> float32 (sin (0.41 * float i)))
                    Wt = Array.init (o * largeCase.C * 9) (fun i -> float32 (0.3 * cos (0.7 * float i)))
                    Bias = Array.init o (fun i -> 0.1f * float32 (i + 1))
                }

            TensorBackend.MaxThreads <- 1
            let one = runConv c
            TensorBackend.MaxThreads <- 2
            let two = runConv c
            assertAll sumAccuracy (convReference c) one $"conv2d O = {o}, stride {s}"
            Expect.equal one two $"O = {o}, stride {s}: 1 vs 2 threads"
    finally
        TensorBackend.MaxThreads <- saved

let ``conv2d equals the direct loop on a large case, with the same bytes on 1 and 2 threads`` () =
    let c = largeCase
    let saved = TensorBackend.MaxThreads

    try
        TensorBackend.MaxThreads <- 1
        let one = runConv c
        TensorBackend.MaxThreads <- 2
        let two = runConv c
        assertAll sumAccuracy (convReference c) two "conv2d (large)"
        Expect.equal one two "1 vs 2 threads: identical bytes"
        // The weight gradient sums partials in a fixed order: also independent of the thread count.
        let wgrad threads =
            TensorBackend.MaxThreads <- threads
            let x = Tensor.FromArray(c.X, c.N, c.C, c.H, c.W)
            let w = Tensor.FromArray(c.Wt, c.O, c.C, c.K, c.K).RequireGrad()
            let y = Ops.Conv2d(x, w, padding = 1)
            (Autograd.Grad(scalarize y, [| w |])[0]).ToArray()

        let g1 = wgrad 1
        Expect.equal g1 (wgrad 2) "weight gradient: 1 vs 2 threads"

        let y =
            Ops.Conv2d(
                Tensor.FromArray(c.X, c.N, c.C, c.H, c.W),
                Tensor.FromArray(c.Wt, c.O, c.C, c.K, c.K),
                padding = 1
            )
        // Sums of ~4000 products of O(1): float32 rounding ~1e-4 relative.
        assertAll
            { Absolute = 1e-3; Relative = 1e-4 }
            (weightGradientReference c ((weightsFor y.Shape).ToArray()))
            g1
            "weight gradient vs the direct loop (8 partial sums of 12 groups)"
        // Many small images: several images share one GEMM and the weight gradient has 5 partials.
        let many =
            { c with
                N = 40
                H = 6
                W = 6
                X = Array.init (40 * c.C * 36) (fun i -> float32 (sin (0.23 * float i)))
            }

        let x = Tensor.FromArray(many.X, many.N, many.C, many.H, many.W).RequireGrad()
        let w = Tensor.FromArray(many.Wt, many.O, many.C, many.K, many.K).RequireGrad()
        let ym = Ops.Conv2d(x, w, padding = 1)

        assertAll
            sumAccuracy
            (convReference
                { many with
                    Bias = Array.zeroCreate many.O
                })
            (ym.ToArray())
            "conv2d (grouped)"

        let gw = (Autograd.Grad(scalarize ym, [| w |])[0]).ToArray()

        assertAll
            { Absolute = 1e-3; Relative = 1e-4 }
            (weightGradientReference many ((weightsFor ym.Shape).ToArray()))
            gw
            "weight gradient (grouped) vs the direct loop"
    finally
        TensorBackend.MaxThreads <- saved

let private sinSeq n =
    Array.init n (fun i -> float32 (sin (0.7 * float i)))

let private cosSeq n =
    Array.init n (fun i -> float32 (0.5 * cos (1.3 * float i)))

let ``conv2d and conv_transpose2d match PyTorch`` () =
    // /usr/bin/python3 (torch 1.13.1, Debian): x[i] = sin(0.7 i) as [1,2,5,6], w[i] = 0.5 cos(1.3 i) as
    // [3,2,3,3], b = [0.1,-0.2,0.3]; F.conv2d(x, w, b, stride=2, padding=1).flatten()
    let expectedConv =
        [|
            0.705275
            0.041495
            -0.02073
            0.034287
            0.060446
            0.292813
            -0.249033
            0.184286
            0.04518
            -0.440794
            -0.253887
            0.019266
            -0.044927
            0.074052
            -0.142711
            0.359056
            -0.21512
            -0.419551
            -0.227625
            0.375883
            0.350022
            0.315706
            0.251179
            0.088712
            0.468751
            0.22059
            0.42562
        |]

    let x = Tensor.FromArray(sinSeq 60, 1, 2, 5, 6)
    let w = Tensor.FromArray(cosSeq 54, 3, 2, 3, 3)

    let y =
        Ops.Conv2d(x, w, Tensor.FromArray([| 0.1f; -0.2f; 0.3f |], 3), stride = 2, padding = 1)

    Expect.equal (y.Shape.ToArray()) [| 1; 3; 3; 3 |] "conv2d shape"
    assertAll torchAccuracy expectedConv (y.ToArray()) "conv2d vs torch"
    // x2[i] = sin(0.7 i) as [1,3,3,2], the same w as [Cin=3, Cout=2, 3, 3], b2 = [0.1,-0.2];
    // F.conv_transpose2d(x2, w, b2, stride=2, padding=1, output_padding=1).flatten()
    let expectedT =
        [|
            0.443236
            -0.161927
            0.690315
            0.228992
            0.184603
            0.337174
            0.061621
            -0.246455
            0.659759
            0.029057
            0.36594
            0.95929
            -0.043311
            -0.109499
            -0.080842
            -0.228469
            -0.052955
            0.337811
            -0.399913
            0.26311
            -0.295239
            -0.034809
            0.251028
            -0.406376
            0.44976
            -0.430564
            0.205153
            0.32307
            -0.057131
            0.138566
            0.041005
            -0.381424
            -0.230004
            -0.301934
            -0.651049
            0.385006
            0.025793
            -0.163639
            -0.095613
            -0.486241
            -0.859959
            -0.004087
            -0.75848
            -0.524206
            0.031383
            -0.442353
            0.330197
            -0.301376
        |]

    let yt =
        Ops.ConvTranspose2d(
            Tensor.FromArray(sinSeq 18, 1, 3, 3, 2),
            w,
            Tensor.FromArray([| 0.1f; -0.2f |], 2),
            stride = 2,
            padding = 1,
            outputPadding = 1
        )

    Expect.equal (yt.Shape.ToArray()) [| 1; 2; 6; 4 |] "conv_transpose2d shape"
    assertAll torchAccuracy expectedT (yt.ToArray()) "conv_transpose2d vs torch"

let ``conv2d gradients match PyTorch's autograd`` () =
    // Same x, w, b as above; L = Σ y·c with c[i] = 0.5 + 0.3 sin(1.7 i + 0.4) (GradCheck's weights);
    // torch.autograd.grad(L, [x, w]) → the first 8 entries of each.
    let gxTorch =
        [|
            -0.124364
            0.151665
            0.017808
            -0.043537
            -0.242534
            -0.101697
            0.312067
            0.051401
        |]

    let gwTorch =
        [|
            0.241909
            0.376216
            0.572675
            0.054976
            0.283994
            0.577154
            0.30388
            0.129163
        |]

    let x = Tensor.FromArray(sinSeq 60, 1, 2, 5, 6).RequireGrad()
    let w = Tensor.FromArray(cosSeq 54, 3, 2, 3, 3).RequireGrad()

    let y =
        Ops.Conv2d(x, w, Tensor.FromArray([| 0.1f; -0.2f; 0.3f |], 3), stride = 2, padding = 1)

    let g = Autograd.Grad(scalarize y, [| x; w |])
    assertAll torchAccuracy gxTorch (g[0].ToArray()[0..7]) "dL/dx vs torch"
    assertAll torchAccuracy gwTorch (g[1].ToArray()[0..7]) "dL/dw vs torch"

let ``upsampling: nearest and bilinear (align_corners=False) on hand-computed cases`` () =
    let x = Tensor.FromArray([| 1f; 2f; 3f; 4f |], 1, 1, 2, 2)

    let nearest = [| 1.; 1.; 2.; 2.; 1.; 1.; 2.; 2.; 3.; 3.; 4.; 4.; 3.; 3.; 4.; 4. |]

    assertAll sumAccuracy nearest ((Ops.Upsample2x(x, UpsampleMode.Nearest)).ToArray()) "nearest"
    // u = [[0,1,4],[9,16,25]]. Output index o reads source max(0, (o+½)/2−½): 0, ¼, ¾, 1¼, 1¾, 2¼ (the
    // last clamps to the edge). Row 0: 0, ¾·0+¼·1, ¼·0+¾·1, ¾·1+¼·4, ¼·1+¾·4, 4. Rows 1, 2 mix the two
    // input rows with weights (¾, ¼) and (¼, ¾); row 3 is input row 1. torch.nn.functional.interpolate
    // (scale_factor=2, mode='bilinear', align_corners=False) gives the same 24 numbers.
    let u = Tensor.FromArray([| 0f; 1f; 4f; 9f; 16f; 25f |], 1, 1, 2, 3)
    let row0 = [| 0.; 0.25; 0.75; 1.75; 3.25; 4. |]
    let row3 = [| 9.; 10.75; 14.25; 18.25; 22.75; 25. |]

    let mix a b =
        Array.map2 (fun r0 r1 -> a * r0 + b * r1) row0 row3

    let expected = Array.concat [ row0; mix 0.75 0.25; mix 0.25 0.75; row3 ]
    assertAll sumAccuracy expected ((Ops.Upsample2x(u, UpsampleMode.Bilinear)).ToArray()) "bilinear"
    // A 1×1 image: both bilinear taps clamp to the only pixel, so it becomes four copies.
    let one = Tensor.FromArray([| 2.5f |], 1, 1, 1, 1)
    assertAll sumAccuracy (Array.create 4 2.5) ((Ops.Upsample2x(one, UpsampleMode.Bilinear)).ToArray()) "bilinear 1×1"

let ``pad, centre crop and flatten place values where their definitions say`` () =
    let x = Tensor.FromArray(Array.init 30 float32, 1, 1, 5, 6)
    // Centre 3×3 window of a 5×6 image starts at row ⌊2/2⌋ = 1 and column ⌊3/2⌋ = 1.
    let crop = Ops.CenterCrop2d(x, 3, 3)
    assertAll sumAccuracy [| 7.; 8.; 9.; 13.; 14.; 15.; 19.; 20.; 21. |] (crop.ToArray()) "crop"
    let small = Tensor.FromArray([| 1f; 2f; 3f; 4f |], 1, 1, 2, 2)
    let padded = Ops.Pad2d(small, 1, 0, 0, 2)
    Expect.equal (padded.Shape.ToArray()) [| 1; 1; 3; 4 |] "pad shape"
    assertAll sumAccuracy [| 0.; 0.; 0.; 0.; 1.; 2.; 0.; 0.; 3.; 4.; 0.; 0. |] (padded.ToArray()) "pad"
    // Centre padding is the adjoint placement of the centre crop: crop(pad(x)) = x.
    let back = Ops.CenterCrop2d(Ops.CenterPad2d(crop, 5, 6), 3, 3)
    Expect.equal (back.ToArray()) (crop.ToArray()) "crop ∘ centre pad = id"
    let f = Ops.Flatten(Tensor.Zeros(2, 3, 4, 5))
    Expect.equal (f.Shape.ToArray()) [| 2; 60 |] "flatten"

let ``bad input: channels, kernel and crop sizes are refused with the reason`` () =
    let x = Tensor.Zeros(1, 2, 4, 4)

    Expect.throwsT<ArgumentException> (fun () -> Ops.Conv2d(x, Tensor.Zeros(3, 1, 3, 3)) |> ignore) "channel mismatch"

    Expect.throwsT<ArgumentException>
        (fun () -> Ops.Conv2d(x, Tensor.Zeros(3, 2, 7, 7), padding = 1) |> ignore)
        "kernel larger than the padded input"

    Expect.throwsT<ArgumentException>
        (fun () -> Ops.Conv2d(x, Tensor.Zeros(3, 2, 3, 3), stride = 0) |> ignore)
        "stride 0"

    Expect.throwsT<ArgumentException> (fun () -> Ops.CenterCrop2d(x, 5, 4) |> ignore) "crop larger than the image"

    Expect.throwsT<ArgumentException>
        (fun () ->
            Ops.ConvTranspose2d(x, Tensor.Zeros(2, 3, 3, 3), stride = 2, outputPadding = 2)
            |> ignore)
        "output padding ≥ stride"

// ---- gradients against finite differences, first and second order ----

/// Small random conv problems as GradCheck inputs: x, weight, bias.
let private convInputs (transposed: bool) : Gen<Input[] * int * int * int> =
    gen {
        let! n = Gen.choose (1, 2)
        let! c = Gen.choose (1, 2)
        let! o = Gen.choose (1, 2)
        let! k = Gen.choose (1, 3)
        let! s = Gen.choose (1, 2)
        let! p = Gen.choose (0, 1)
        let! h = Gen.choose (max 2 (k - 2 * p), 4)
        let! w = Gen.choose (max 2 (k - 2 * p), 4)
        let! x = inputOf [| n; c; h; w |] (values -1.0 1.0)
        let! wt = inputOf (if transposed then [| c; o; k; k |] else [| o; c; k; k |]) (values -1.0 1.0)
        let! b = inputOf [| o |] (values -1.0 1.0)
        let op = if transposed && s > 1 then 1 else 0
        return [| x; wt; b |], s, p, op
    }

let private validTransposed (ins: Input[], s, p, op) =
    let h, k = ins[0].Shape[2], ins[1].Shape[2]

    (h - 1) * s - 2 * p + k + op >= 1
    && (ins[0].Shape[3] - 1) * s - 2 * p + k + op >= 1

let ``gradients: conv2d (x, weight, bias; and through tanh)`` () =
    Prop.forAll (Arb.fromGen (convInputs false)) (fun (ins, s, p, _) ->
        checkBoth (fun xs -> Ops.Conv2d(xs[0], xs[1], xs[2], s, p)) ins
        && checkBoth (fun xs -> Ops.Tanh(Ops.Conv2d(xs[0], xs[1], xs[2], s, p))) ins)

let ``gradients: conv_transpose2d (x, weight, bias; and through tanh)`` () =
    Prop.forAll (Arb.fromGen (convInputs true |> Gen.filter validTransposed)) (fun (ins, s, p, op) ->
        checkBoth (fun xs -> Ops.ConvTranspose2d(xs[0], xs[1], xs[2], s, p, op)) ins
        && checkBoth (fun xs -> Ops.Tanh(Ops.ConvTranspose2d(xs[0], xs[1], xs[2], s, p, op))) ins)

let private image: Gen<Input[]> =
    gen {
        let! n = Gen.choose (1, 2)
        let! c = Gen.choose (1, 2)
        let! h = Gen.choose (1, 4)
        let! w = Gen.choose (1, 4)
        let! x = inputOf [| n; c; h; w |] (values -1.5 1.5)
        return [| x |]
    }

let ``gradients: nearest and bilinear upsampling (through tanh)`` () =
    Prop.forAll (arb image) (fun ins ->
        checkBoth (fun xs -> Ops.Tanh(Ops.Upsample2x(xs[0], UpsampleMode.Nearest))) ins
        && checkBoth (fun xs -> Ops.Tanh(Ops.Upsample2x(xs[0], UpsampleMode.Bilinear))) ins)

let ``gradients: pad, centre crop and flatten (through tanh)`` () =
    Prop.forAll (arb image) (fun ins ->
        let h, w = ins[0].Shape[2], ins[0].Shape[3]

        checkBoth (fun xs -> Ops.Tanh(Ops.Pad2d(xs[0], 1, 2, 0, 1))) ins
        && checkBoth (fun xs -> Ops.Tanh(Ops.CenterCrop2d(xs[0], max 1 (h - 1), max 1 (w - 2)))) ins
        && checkBoth (fun xs -> Ops.Tanh(Ops.Flatten(xs[0]))) ins)

/// A critic-like composition: conv → tanh (smooth, so finite differences never straddle a kink)
/// → 1×1 conv, differentiated twice through both convolutions (what the WGAN-GP penalty does).
let ``gradients: conv → tanh → conv, the gradient penalty's path`` () =
    Prop.forAll (Arb.fromGen (convInputs false)) (fun (ins, s, p, _) ->
        let o = ins[1].Shape[0]

        let w2 =
            {
                Shape = [| 1; o; 1; 1 |]
                Values = Array.init o (fun i -> 0.3f + 0.2f * float32 i)
            }

        checkBoth
            (fun xs -> Ops.Conv2d(Ops.Tanh(Ops.Conv2d(xs[0], xs[1], xs[2], s, p)), xs[3]))
            (Array.append ins [| w2 |]))

let private cases =
    testList
        "Tensors.Conv"
        [
            testPropertyN
                60
                "conv2d equals the direct loop for random shapes"
                ``conv2d equals the direct loop for random shapes``
            testPropertyN
                60
                "conv_transpose2d equals the direct scatter loop for random shapes"
                ``conv_transpose2d equals the direct scatter loop for random shapes``
            testCase
                "conv2d equals the direct loop on a large case, with the same bytes on 1 and 2 threads"
                ``conv2d equals the direct loop on a large case, with the same bytes on 1 and 2 threads``
            testCase
                "stride-2 gathers of wide rows and one-channel outputs equal the direct loop"
                ``stride-2 gathers of wide rows and one-channel outputs equal the direct loop``
            testCase "conv2d and conv_transpose2d match PyTorch" ``conv2d and conv_transpose2d match PyTorch``
            testCase "conv2d gradients match PyTorch's autograd" ``conv2d gradients match PyTorch's autograd``
            testCase
                "upsampling: nearest and bilinear (align_corners=False) on hand-computed cases"
                ``upsampling: nearest and bilinear (align_corners=False) on hand-computed cases``
            testCase
                "pad, centre crop and flatten place values where their definitions say"
                ``pad, centre crop and flatten place values where their definitions say``
            testCase
                "bad input: channels, kernel and crop sizes are refused with the reason"
                ``bad input: channels, kernel and crop sizes are refused with the reason``
            testPropertyN
                20
                "gradients: conv2d (x, weight, bias; and through tanh)"
                ``gradients: conv2d (x, weight, bias; and through tanh)``
            testPropertyN
                20
                "gradients: conv_transpose2d (x, weight, bias; and through tanh)"
                ``gradients: conv_transpose2d (x, weight, bias; and through tanh)``
            testPropertyN
                20
                "gradients: nearest and bilinear upsampling (through tanh)"
                ``gradients: nearest and bilinear upsampling (through tanh)``
            testPropertyN
                20
                "gradients: pad, centre crop and flatten (through tanh)"
                ``gradients: pad, centre crop and flatten (through tanh)``
            testPropertyN
                20
                "gradients: conv → tanh → conv, the gradient penalty's path"
                ``gradients: conv → tanh → conv, the gradient penalty's path``
        ]

/// Every case on every backend of BackendCombos.all.
[<Tests>]
let tests = BackendCombos.onEach cases
