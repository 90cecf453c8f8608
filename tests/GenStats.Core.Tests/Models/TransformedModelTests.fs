/// Per-column preprocessing in the neural models: the tensor inverse inside the graph against the
/// float64 inverse, its gradient against the log-derivative, model files with mixed per-column
/// transforms, and the auxiliary statistic reading raw columns by name.
module GenStats.Tests.Models.TransformedModelTests

open Expecto
open System
open System.Collections.Generic
open System.IO
open GenStats.Data
open GenStats.Models
open GenStats.Models.Files
open GenStats.Tensors
open GenStats.Tests.Tolerance
open GenStats.Tests.Expectations

/// Four raw columns: pt > 0 (log-normal), φ uniform in (−π, π], η ~ N(0, 1.5²), eff in (0, 1).
let private dimuonLike n seed =
    let rnd = Random(seed: int)

    let normal () =
        sqrt (-2.0 * log (1.0 - rnd.NextDouble()))
        * cos (2.0 * Math.PI * rnd.NextDouble())

    Array.init n (fun _ ->
        [|
            exp (3.5 + 0.5 * normal ())
            Math.PI * (2.0 * rnd.NextDouble() - 1.0)
            1.5 * normal ()
            0.02 + 0.96 * rnd.NextDouble()
        |])

let private names = [| "pt"; "phi"; "eta"; "eff" |]

let private mixed =
    readOnlyDict [ "pt", "log"; "phi", "periodic"; "eff", "logit(0,1)" ]

/// The width-1 kinds with a tensor inverse available now, each with data in its domain.
let private widthOneKinds () =
    let rows = dimuonLike 500 3
    let col c = rows |> Array.map (fun r -> r[c])

    [
        "identity", col 2
        "standard", col 2
        "log", col 0
        "log1p", col 0 |> Array.map (fun x -> x - 1.0)
        "logit(-1,2)", col 3
        "quantile-normal", col 0
    ]

let ``the tensor inverse equals the float64 inverse for every kind`` () =
    let rnd = Random(8)

    let columns =
        widthOneKinds ()
        @ [ "periodic", (dimuonLike 500 4 |> Array.map (fun r -> r[1])) ]

    let specs = columns |> List.map (fst >> TransformSpec.Parse) |> Array.ofList

    let rows =
        Array.init 500 (fun i -> columns |> List.map (fun (_, xs) -> xs[i]) |> Array.ofList)

    let t = RowTransform.Fit(rows, specs)
    // Model-scale rows: z ~ N(0, 1.5²) covers the tails; periodic pairs off the unit circle.
    let b = 256

    let z =
        Array.init (b * t.OutputWidth) (fun _ -> float32 (1.5 * (2.0 * rnd.NextDouble() - 1.0) * 2.0))

    let raw = (TensorInverse.Apply(t, Tensor.FromArray(z, b, t.OutputWidth))).ToArray()
    Expect.equal raw.Length (b * t.Width) "raw width"

    for i in 0 .. b - 1 do
        let expected =
            t.InverseRow(ReadOnlySpan(Array.init t.OutputWidth (fun c -> float z[i * t.OutputWidth + c])))

        for c in 0 .. t.Width - 1 do
            // float32 arithmetic on float32 inputs: a few float32 ulps of the value (relative 2e−6),
            // and of the scale for values near 0; quantile-normal interpolates Φ(z) computed in float32
            // (absolute error ≈ 1e−7 in u, times (m − 1)·slope).
            let acc =
                match columns[c] |> fst with
                | "quantile-normal" -> { Absolute = 1e-3; Relative = 1e-4 }
                | "periodic" -> { Absolute = 2e-6; Relative = 2e-6 }
                | _ -> { Absolute = 1e-5; Relative = 2e-6 }

            assertClose acc expected[c] (float raw[i * t.Width + c]) (sprintf "row %d, %s" i (fst columns[c]))

            if fst columns[c] = "periodic" then
                let a = raw[i * t.Width + c]
                Expect.isTrue (a > -MathF.PI && a <= MathF.PI) (sprintf "periodic output %g in (−π, π]" a)

let ``the tensor inverse of periodic stays in (-pi, pi] at the seam and off the circle`` () =
    let t =
        RowTransform.Fit([| [| 0.0 |]; [| 1.0 |] |], [| TransformSpec.Parse "periodic" |])
    // (c, s): the seam with s = −0 (atan2 gives −π there), a pair off the circle, the origin.
    let z = [| -1.0f; -0.0f; -2.5f; -0.0f; 0.3f; 0.3f; 0.0f; 0.0f; -1.0f; 1e-30f |]
    let phi = (TensorInverse.Apply(t, Tensor.FromArray(z, 5, 2))).ToArray()
    Expect.equal phi [| MathF.PI; MathF.PI; MathF.PI / 4.0f; 0.0f; MathF.PI |] "φ"

let ``the gradient of the tensor inverse is the reciprocal of the forward derivative`` () =
    // dx/dz = 1/(dz/dx) = exp(−LogDerivative(x)): an independent float64 formula for each kind.
    for spec, xs in widthOneKinds () do
        let t =
            RowTransform.Fit(Array.map (fun x -> [| x |]) xs, [| TransformSpec.Parse spec |])

        let probes = [| -1.3f; -0.2f; 0.0f; 0.7f; 1.9f |]
        let z = Tensor.FromArray(Array.copy probes, probes.Length, 1).RequireGrad()
        let x = TensorInverse.Apply(t, z)
        let g = (Autograd.Grad(Ops.Sum x, [| z |])[0]).ToArray()

        for i in 0 .. probes.Length - 1 do
            let xi = t.Columns[0].Inverse(float probes[i])
            let expected = exp (-(t.Columns[0].LogDerivative xi))

            assertClose
                { Absolute = 1e-6; Relative = 1e-4 }
                expected
                (float g[i])
                (sprintf "%s: dx/dz at z = %g" spec probes[i])

let private options (loss: GanLoss) =
    GanOptions(
        Loss = loss,
        LatentSize = 3,
        GeneratorLayers = [| 16 |],
        CriticLayers = [| 16 |],
        CriticSteps = 1,
        Optimizer = OptimizerKind.Adam,
        GeneratorLearningRate = 1e-3f,
        CriticLearningRate = 1e-3f,
        BatchSize = 32,
        Steps = 4,
        Seed = 3UL,
        ColumnTransforms = mixed
    )

let ``a GAN and a VAE with mixed per-column transforms round-trip through the model file`` () =
    let rows = dimuonLike 300 5
    let x = rows |> Array.map (fun r -> r[..2])
    let y = rows |> Array.map (fun r -> r[3..])

    let gan =
        GanTrainer.Create(x, y, null, options GanLoss.LeastSquares, null, names[..2], names[3..]).Run().Model

    let vae =
        (VaeTrainer.Train(
            x,
            y,
            null,
            VaeOptions(
                LatentSize = 2,
                EncoderLayers = [| 8 |],
                DecoderLayers = [| 8 |],
                Steps = 4,
                ColumnTransforms = mixed
            ),
            featureNames = names[..2],
            conditionNames = names[3..]
        ))
            .Model

    Expect.equal
        [ for c in gan.FeatureTransform.Columns -> c.Kind ]
        [ "log"; "periodic"; "quantile-normal" ]
        "GAN feature kinds (η keeps the group default, quantile-normal)"

    Expect.equal [ for c in gan.ConditionTransform.Columns -> c.Kind ] [ "logit" ] "GAN condition kinds"
    // The generator's output is the model width: pt, (cos φ, sin φ), η.
    Expect.equal (gan.Generator.Parameters() |> Seq.last |> (fun p -> p.Shape[0])) 4 "generator output width"
    let cond = Array.init 500 (fun i -> [| 0.05 + 0.9 * float i / 500.0 |])

    for model in [ gan :> IConditionalGenerator; vae :> IConditionalGenerator ] do
        let path =
            Path.Combine(Path.GetTempPath(), sprintf "genstats-mixed-%s.gsm" (Guid.NewGuid().ToString("N")))

        try
            ModelFile.Save(path, model)
            let back = ModelFile.Load path
            let a, b = model.Sample(cond, 11), back.Sample(cond, 11)
            Expect.isTrue (a = b) (model.ModelType + ": same samples from the saved and the loaded model")
            // Each sample is back in raw units: pt > 0, φ in (−π, π].
            for r in a do
                Expect.equal r.Length 3 "raw width"
                Expect.isTrue (r[0] > 0.0) (sprintf "%s: pt %g > 0" model.ModelType r[0])
                Expect.isTrue (r[1] > -Math.PI && r[1] <= Math.PI) (sprintf "%s: φ %g in (−π, π]" model.ModelType r[1])
        finally
            File.Delete path

    Expect.isFalse vae.HasRawDensity "a periodic feature has no raw-scale density"

    raises<NotSupportedException> "ELBO with a periodic feature" (fun () -> vae.Elbo(x, y, null, 1) |> ignore)
    |> ignore

let ``unknown column names and values outside a domain are refused before training`` () =
    let rows = dimuonLike 100 6

    let e =
        raises<ArgumentException> "a column that does not exist" (fun () ->
            GanTrainer.Create(
                rows,
                null,
                null,
                GanOptions(ColumnTransforms = readOnlyDict [ "ptt", "log" ]),
                null,
                names
            )
            |> ignore)

    contains "'ptt'" e.Message "names the unknown column"
    contains "pt, phi, eta, eff" e.Message "lists the columns"

    let e2 =
        raises<ArgumentException> "log of a signed column" (fun () ->
            GanTrainer.Create(
                rows,
                null,
                null,
                GanOptions(ColumnTransforms = readOnlyDict [ "eta", "log" ]),
                null,
                names
            )
            |> ignore)

    contains "column 'eta'" e2.Message "names the column"

let ``the auxiliary statistic reads raw columns by name, in physics units`` () =
    let rows = dimuonLike 400 7
    let x = rows |> Array.map (fun r -> r[..2])
    let y = rows |> Array.map (fun r -> r[3..])
    let pts = HashSet(x |> Array.map (fun r -> float32 r[0]))
    // Copies of the real batches' columns (tensors are pooled per step).
    let seen = List<Dictionary<string, float32 array>>()

    let statistic =
        AuxiliaryStatistic.ByName(
            (fun cols ->
                if not Autograd.IsGradEnabled then
                    seen.Add(Dictionary(cols |> Seq.map (fun kv -> KeyValuePair(kv.Key, kv.Value.ToArray())))) // the real batch (no gradient)
                // pT·eff: needs both in physics units.
                Ops.Mul(cols["pt"], cols["eff"])),
            0.1f
        )

    let r =
        GanTrainer.Create(x, y, null, options GanLoss.LeastSquares, statistic, names[..2], names[3..]).Run()

    Expect.isTrue (r.History.Steps |> Seq.forall (fun s -> s.Losses.ContainsKey "aux")) "aux logged"
    Expect.isNonEmpty seen "the statistic ran on real batches"
    let cols = seen[0]
    Expect.equal (Set.ofSeq cols.Keys) (Set.ofList [ "pt"; "phi"; "eta"; "eff" ]) "every column by name"
    // The real batch's pt, after the in-graph inverse of log + standardisation, is a training pt.
    for v in cols["pt"] do
        let nearest = pts |> Seq.minBy (fun p -> abs (p - v))
        assertClose { Absolute = 0.0; Relative = 1e-5 } (float nearest) (float v) "pt in GeV"

    for v in cols["eff"] do
        Expect.isTrue (v > 0.0f && v < 1.0f) "eff back in (0, 1)"

[<Tests>]
let tests =
    testList
        "Models.TransformedModel"
        [
            testCase
                "the tensor inverse equals the float64 inverse for every kind"
                ``the tensor inverse equals the float64 inverse for every kind``
            testCase
                "the tensor inverse of periodic stays in (-pi, pi] at the seam and off the circle"
                ``the tensor inverse of periodic stays in (-pi, pi] at the seam and off the circle``
            testCase
                "the gradient of the tensor inverse is the reciprocal of the forward derivative"
                ``the gradient of the tensor inverse is the reciprocal of the forward derivative``
            testCase
                "a GAN and a VAE with mixed per-column transforms round-trip through the model file"
                ``a GAN and a VAE with mixed per-column transforms round-trip through the model file``
            testCase
                "unknown column names and values outside a domain are refused before training"
                ``unknown column names and values outside a domain are refused before training``
            testCase
                "the auxiliary statistic reads raw columns by name, in physics units"
                ``the auxiliary statistic reads raw columns by name, in physics units``
        ]
