/// The GAN and the VAE in the common model file: loaded by ModelFile.Load without knowing the
/// type, the same samples for the same seed, corrupt files refused, quantile-to-normal
/// preprocessing inverted on the raw scale, and `genstats train`/`sample` end to end.
module GenStats.Tests.Models.NeuralModelFileTests

open Expecto
open System
open System.Diagnostics
open System.IO
open GenStats.Data
open GenStats.Models
open GenStats.Models.Files
open GenStats.Tests.Models.GanToys
open GenStats.Tests
open GenStats.Tests.Expectations

let private tempDir () =
    let d =
        Path.Combine(Path.GetTempPath(), sprintf "genstats-neural-%s" (Guid.NewGuid().ToString("N")))

    Directory.CreateDirectory d |> ignore
    d

let private ganOptions transform =
    GanOptions(
        Loss = GanLoss.LeastSquares,
        LatentSize = 3,
        GeneratorLayers = [| 16 |],
        CriticLayers = [| 16 |],
        CriticSteps = 1,
        Optimizer = OptimizerKind.Adam,
        GeneratorLearningRate = 1e-3f,
        CriticLearningRate = 1e-3f,
        BatchSize = 64,
        Steps = 15,
        Seed = 5UL,
        FeatureTransform = transform
    )

/// A conditional toy: x | y ~ N(1 + 2y, 0.5²) with x, y on a raw scale far from 0.
let private toy n =
    let rnd = Random(17)
    let y = Array.init n (fun _ -> 100.0 + rnd.NextDouble())
    let z = normals rnd n
    let x = Array.init n (fun i -> 1.0 + 2.0 * y[i] + 0.5 * z[i])
    rows x, rows y

let private roundTrip (model: IConditionalGenerator) =
    let path =
        Path.Combine(Path.GetTempPath(), sprintf "genstats-neural-%s.gsm" (Guid.NewGuid().ToString("N")))

    try
        ModelFile.Save(path, model)
        let back = ModelFile.Load path
        // Same content and the same bytes when saved again: nothing is lost or reordered.
        Expect.equal (back.ToModelFile()) (model.ToModelFile()) "content"
        Expect.isTrue (ModelFile.ToBytes(back.ToModelFile()) = File.ReadAllBytes path) "bytes"
        back
    finally
        File.Delete path

let ``a GAN and a VAE load through ModelFile.Load without their type and sample the same values`` () =
    let x, y = toy 400
    let gan = (GanTrainer.Train(x, y, null, ganOptions TransformKind.Standard)).Model

    let vae =
        (VaeTrainer.Train(
            x,
            y,
            null,
            VaeOptions(LatentSize = 2, EncoderLayers = [| 8 |], DecoderLayers = [| 8 |], Steps = 15)
        ))
            .Model

    let cond = Array.init 200 (fun i -> [| 100.0 + float i / 200.0 |])

    for (model: IConditionalGenerator), typeName in
        [ gan :> IConditionalGenerator, "gan"; vae :> IConditionalGenerator, "vae" ] do
        Expect.equal model.ModelType typeName "model.ModelType"
        let back = roundTrip model
        Expect.equal (back.GetType()) (model.GetType()) typeName
        Expect.isTrue (List.ofSeq back.ConditionNames = [ "y0" ]) "condition names"

        Expect.isTrue
            (back.Sample(cond, 8) = model.Sample(cond, 8))
            (sprintf "%s: same samples for the same seed" typeName)

        Expect.isTrue
            (back.Sample(cond, 8) <> back.Sample(cond, 9))
            (sprintf "%s: another seed, other samples" typeName)

    Expect.contains ModelRegistry.ModelTypes "gan" "ModelRegistry.ModelTypes"
    Expect.contains ModelRegistry.ModelTypes "vae" "ModelRegistry.ModelTypes"

let ``a flipped byte or a truncation of a GAN model file is an InvalidDataException`` () =
    let x, y = toy 200
    let gan = (GanTrainer.Train(x, y, null, ganOptions TransformKind.Standard)).Model
    let bytes = ModelFile.ToBytes(gan.ToModelFile())
    // every single byte flipped: the SHA-256 (or the structure before it) catches it
    for i in 0 .. bytes.Length - 1 do
        let copy = Array.copy bytes
        copy[i] <- copy[i] ^^^ 0x10uy

        raises<InvalidDataException> (sprintf "byte %d" i) (fun () -> ModelFile.FromBytes(copy, "gan.gsm") |> ignore)
        |> ignore

    raises<InvalidDataException> "ModelFile.FromBytes(bytes[.. bytes.Length - 2], \"gan.gsm\") |> ignore" (fun () ->
        ModelFile.FromBytes(bytes[.. bytes.Length - 2], "gan.gsm") |> ignore)
    |> ignore
    // and through the file API, in the parameters
    let path =
        Path.Combine(Path.GetTempPath(), sprintf "genstats-gan-%s.gsm" (Guid.NewGuid().ToString("N")))

    try
        let copy = Array.copy bytes
        copy[bytes.Length - 100] <- copy[bytes.Length - 100] ^^^ 1uy
        File.WriteAllBytes(path, copy)

        let ex =
            raises<InvalidDataException> "ModelFile.Load path |> ignore" (fun () -> ModelFile.Load path |> ignore)

        contains path ex.Message "ex.Message"
    finally
        File.Delete path

let ``quantile-to-normal preprocessing is inverted inside the GAN: samples lie in the training range`` () =
    // A skewed, bounded feature far from 0: x = 1000 + 50·u², u ~ U(0, 1), so x ∈ [1000, 1050].
    let rnd = Random(29)
    let x = Array.init 1000 (fun _ -> let u = rnd.NextDouble() in 1000.0 + 50.0 * u * u)
    let o = ganOptions TransformKind.QuantileNormal
    let model = (GanTrainer.Train(rows x, null, null, o)).Model
    let back = roundTrip model :?> ConditionalGan
    Expect.equal (back.FeatureTransform.Columns[0].Kind) "quantile-normal" "back.FeatureTransform.Columns[0].Kind"
    let g = back.Sample(5000, 3) |> Array.map (fun r -> r[0])
    let lo, hi = Array.min x, Array.max x
    // the inverse quantile map is piecewise-linear between the training quantiles and clipped to them
    Expect.isTrue
        (g |> Array.forall (fun v -> v >= lo && v <= hi))
        (sprintf "samples in [%g, %g]: min %g max %g" lo hi (Array.min g) (Array.max g))
    // on the raw scale, not the N(0, 1) training scale: all values are near 1000, none near 0
    let average = Array.average g
    Expect.isGreaterThanOrEqual average lo "Array.average g"
    Expect.isLessThanOrEqual average hi "Array.average g"
    // the preprocessing was fitted with the quantiles of the data: the training median maps to ≈ 0
    let median = (Array.sort x)[x.Length / 2]

    Expect.isLessThan
        (abs (back.FeatureTransform.Columns[0].Forward median))
        0.01
        "abs (back.FeatureTransform.Columns[0].Forward median)"

// ---- command line ----

let runCli = GenStats.Tests.Repository.runCli

let ``genstats train --model lsgan then sample --n end to end, and a misspelt config key lists the valid ones`` () =
    let dir = tempDir ()

    try
        let rnd = Random(41)
        let data = Path.Combine(dir, "train.csv")

        File.WriteAllLines(
            data,
            Array.append [| "x,w" |] (Array.init 300 (fun _ -> sprintf "%.6f,1" (5.0 + rnd.NextDouble())))
        )

        let cfg = Path.Combine(dir, "cfg.json")

        File.WriteAllText(
            cfg,
            """{"generatorLayers": [16], "criticLayers": [16], "batchSize": 64, "criticSteps": 1, "featureTransform": "quantile-normal"}"""
        )

        let model = Path.Combine(dir, "model.gsm")

        let code, out, err =
            runCli
                [
                    "train"
                    "--data"
                    data
                    "--features"
                    "x"
                    "--weight"
                    "w"
                    "--model"
                    "lsgan"
                    "--config"
                    cfg
                    "--steps"
                    "50"
                    "--seed"
                    "3"
                    "--out"
                    model
                ]

        Expect.equal code 0 err
        contains "trained gan" out "out"
        let loaded = ModelFile.Load model :?> ConditionalGan

        Expect.equal
            (loaded.Options.Loss, loaded.TrainedSteps, loaded.Options.Seed)
            (GanLoss.LeastSquares, 50L, 3UL)
            "(loaded.Options.Loss, loaded.TrainedSteps, loaded.Options.Seed)"

        let gen1, gen2 = Path.Combine(dir, "gen1.csv"), Path.Combine(dir, "gen2.csv")

        for g in [ gen1; gen2 ] do
            let code, _, err =
                runCli [ "sample"; "--model"; model; "--n"; "100"; "--out"; g; "--seed"; "7" ]

            Expect.equal code 0 err

        let lines = File.ReadAllLines gen1
        Expect.equal lines.Length 101 "lines.Length"
        Expect.equal (lines[0]) "x" "lines[0]"
        Expect.isTrue (File.ReadAllBytes gen2 = File.ReadAllBytes gen1) "same seed, same file"
        // quantile-normal preprocessing: every generated value inside the training range [5, 6]
        let values = Csv.Read(gen1).Column("x")
        Expect.isTrue (values |> Array.forall (fun v -> v >= 5.0 && v <= 6.0)) (sprintf "%A" values)
        // a misspelt option is refused with the list of valid ones
        File.WriteAllText(cfg, """{"critcSteps": 2}""")

        let code, _, err =
            runCli
                [
                    "train"
                    "--data"
                    data
                    "--features"
                    "x"
                    "--model"
                    "vae"
                    "--config"
                    cfg
                    "--out"
                    model
                ]

        Expect.equal code 1 "code"
        contains "critcSteps" err "err"
        contains "encoderLayers" err "err"
    finally
        Directory.Delete(dir, true)

let ``genstats train --model vae then sample --conditions end to end`` () =
    let dir = tempDir ()

    try
        let rnd = Random(43)
        let data = Path.Combine(dir, "train.csv")

        File.WriteAllLines(
            data,
            Array.append
                [| "a,p" |]
                (Array.init 300 (fun _ ->
                    let p = rnd.NextDouble() in sprintf "%.6f,%.6f" (p + 0.1 * rnd.NextDouble()) p))
        )

        let model = Path.Combine(dir, "vae.gsm")

        let code, _, err =
            runCli
                [
                    "train"
                    "--data"
                    data
                    "--features"
                    "a"
                    "--conditions"
                    "p"
                    "--model"
                    "vae"
                    "--steps"
                    "20"
                    "--out"
                    model
                ]

        Expect.equal code 0 err
        let cond = Path.Combine(dir, "cond.csv")
        File.WriteAllLines(cond, [| "p"; "0.25"; "0.5"; "0.75" |])
        let gen = Path.Combine(dir, "gen.csv")

        let code, _, err =
            runCli [ "sample"; "--model"; model; "--conditions"; cond; "--out"; gen ]

        Expect.equal code 0 err
        let t = Csv.Read gen
        Expect.isTrue (List.ofSeq t.ColumnNames = [ "p"; "a" ]) "columns"
        Expect.isTrue (t.Column("p") = [| 0.25; 0.5; 0.75 |]) "conditions copied"

        let expected =
            (ModelFile.Load model).Sample([| [| 0.25 |]; [| 0.5 |]; [| 0.75 |] |], 0)
            |> Array.map (fun r -> r[0])

        Expect.isTrue
            (t.Column("a")
             |> Array.map2 (fun e v -> abs (e - v) <= 1e-12 * max 1.0 (abs e)) expected
             |> Array.forall id)
            "the CLI writes what the library generates for seed 0"
    finally
        Directory.Delete(dir, true)

let ``genstats train --transform: a bad token is one line that names it and lists the kinds`` () =
    for spec, token in
        [
            "pt=log,phi=sine", "phi=sine"
            "pt", "pt"
            "eff=logit(1,0)", "eff=logit(1,0)"
        ] do
        let code, _, err =
            runCli
                [
                    "train"
                    "--data"
                    "none.csv"
                    "--features"
                    "pt"
                    "--model"
                    "cramer"
                    "--transform"
                    spec
                    "--out"
                    "m.gsm"
                ]

        Expect.equal code 1 (spec + ": exit code")
        let lines = err.Trim().Split('\n')
        Expect.equal lines.Length 1 (spec + ": one line")
        contains (sprintf "'%s'" token) lines[0] (spec + ": names the token")
        contains TransformSpec.Allowed lines[0] (spec + ": lists the kinds")

let ``genstats train with --transform and config columnTransforms stores the per-column kinds`` () =
    let dir = tempDir ()

    try
        let rnd = Random(43)
        let data = Path.Combine(dir, "train.csv")

        File.WriteAllLines(
            data,
            Array.append
                [| "pt,phi,eff" |]
                (Array.init 200 (fun _ ->
                    sprintf
                        "%.6f,%.6f,%.6f"
                        (20.0 + 30.0 * rnd.NextDouble())
                        (6.0 * rnd.NextDouble() - 3.0)
                        (0.1 + 0.8 * rnd.NextDouble())))
        )

        let cfg = Path.Combine(dir, "cfg.json")

        File.WriteAllText(
            cfg,
            """{"generatorLayers": [8], "criticLayers": [8], "batchSize": 32, "criticSteps": 1, "columnTransforms": {"eff": "logit(0,1)", "pt": "standard"}}"""
        )

        let model = Path.Combine(dir, "model.gsm")

        let code, out, err =
            runCli
                [
                    "train"
                    "--data"
                    data
                    "--features"
                    "pt,phi"
                    "--conditions"
                    "eff"
                    "--model"
                    "cramer"
                    "--config"
                    cfg
                    "--transform"
                    "pt=log,phi=periodic"
                    "--steps"
                    "2"
                    "--out"
                    model
                ]

        Expect.equal code 0 (sprintf "exit code (stderr: %s)" err)
        contains "pt log, phi periodic | eff logit" out "the summary names each column's kind"
        let gan = ModelFile.Load model :?> ConditionalGan
        // --transform wins over the config for pt; the config's eff entry is kept.
        Expect.equal [ for c in gan.FeatureTransform.Columns -> c.Kind ] [ "log"; "periodic" ] "feature kinds"
        Expect.equal [ for c in gan.ConditionTransform.Columns -> c.Kind ] [ "logit" ] "condition kinds"
    finally
        Directory.Delete(dir, true)

let ``genstats train --history writes every step and evaluation; genstats history marks the kept one`` () =
    let dir = tempDir ()

    try
        let rnd = Random(43)
        let data = Path.Combine(dir, "train.csv")
        File.WriteAllLines(data, Array.append [| "x" |] (Array.init 400 (fun _ -> sprintf "%.6f" (rnd.NextDouble()))))
        let cfg = Path.Combine(dir, "cfg.json")
        File.WriteAllText(cfg, """{"generatorLayers": [8], "criticLayers": [8], "batchSize": 32}""")

        let model, csv, csv2 =
            Path.Combine(dir, "m.gsm"), Path.Combine(dir, "h.csv"), Path.Combine(dir, "h2.csv")

        let code, _, err =
            runCli
                [
                    "train"
                    "--data"
                    data
                    "--features"
                    "x"
                    "--model"
                    "cramer"
                    "--config"
                    cfg
                    "--steps"
                    "40"
                    "--out"
                    model
                    "--history"
                    csv
                ]

        Expect.equal code 0 err
        let rows = File.ReadAllLines csv
        Expect.stringStarts rows[0] "kind,step,learning_rate,batch_ess,held_out_energy_distance" "the header"
        let steps = rows |> Array.filter (fun r -> r.StartsWith "step,")
        let evals = rows |> Array.filter (fun r -> r.StartsWith "evaluation,")
        // 40 steps; the automatic interval is ⌈40/25⌉ = 2 steps → 20 evaluations
        Expect.equal steps.Length 40 "a row per step"
        Expect.equal evals.Length 20 "a row per evaluation"

        let ed (r: string) =
            Double.Parse(r.Split(',')[4], Globalization.CultureInfo.InvariantCulture)

        let best = evals |> Array.minBy ed

        Expect.equal
            (best.Split(',')[7])
            "1"
            "the evaluation of the lowest held-out energy distance is the selected one"

        let code, out, err = runCli [ "history"; model; "--csv"; csv2 ]
        Expect.equal code 0 err
        contains (sprintf "kept the generator of step %s" (best.Split(',')[1])) out "history names the kept step"
        Expect.equal (File.ReadAllLines csv2).Length rows.Length "the model file kept all 40 steps and 20 evaluations"
        // a classic model has no history: one clear line, exit 1
        let kde = Path.Combine(dir, "k.gsm")

        let code, _, err =
            runCli [ "train"; "--data"; data; "--features"; "x"; "--model"; "kde"; "--out"; kde ]

        Expect.equal code 0 err
        let code, _, err = runCli [ "history"; kde ]
        Expect.equal code 1 "exit 1"
        contains "only neural models" err "the reason"
    finally
        Directory.Delete(dir, true)

[<Tests>]
let tests =
    testList
        "Models.NeuralModelFile"
        [
            testCase
                "a GAN and a VAE load through ModelFile.Load without their type and sample the same values"
                ``a GAN and a VAE load through ModelFile.Load without their type and sample the same values``
            testCase
                "a flipped byte or a truncation of a GAN model file is an InvalidDataException"
                ``a flipped byte or a truncation of a GAN model file is an InvalidDataException``
            testCase
                "quantile-to-normal preprocessing is inverted inside the GAN: samples lie in the training range"
                ``quantile-to-normal preprocessing is inverted inside the GAN: samples lie in the training range``
            testCase
                "genstats train --transform: a bad token is one line that names it and lists the kinds"
                ``genstats train --transform: a bad token is one line that names it and lists the kinds``
            TestMain.slow
                [
                    testCase
                        "genstats train with --transform and config columnTransforms stores the per-column kinds"
                        ``genstats train with --transform and config columnTransforms stores the per-column kinds``
                    testCase
                        "genstats train --model lsgan then sample --n end to end, and a misspelt config key lists the valid ones"
                        ``genstats train --model lsgan then sample --n end to end, and a misspelt config key lists the valid ones``
                    testCase
                        "genstats train --history writes every step and evaluation; genstats history marks the kept one"
                        ``genstats train --history writes every step and evaluation; genstats history marks the kept one``
                    testCase
                        "genstats train --model vae then sample --conditions end to end"
                        ``genstats train --model vae then sample --conditions end to end``
                ]
        ]
