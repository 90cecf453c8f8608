/// The auxiliary statistic as an observable expression: `genstats train --aux` errors and an end-to-end
/// run whose model file records the statistic, and the median selection behind the MMD bandwidth.
module GenStats.Tests.Models.AuxiliaryTests

open Expecto
open System
open System.IO
open GenStats.Data
open GenStats.Models
open GenStats.Models.Files
open GenStats.Numerics
open GenStats.Physics
open GenStats.Tests
open GenStats.Tests.Expectations
open GenStats.Tests.Models.NeuralModelFileTests

let private mass = "mass(pt1,eta1,phi1,pt2,eta2,phi2)"

let private train (extra: string list) =
    runCli (
        [
            "train"
            "--data"
            "none.csv"
            "--features"
            "pt1,eta1,phi1,pt2,eta2,phi2"
            "--out"
            "m.gsm"
        ]
        @ extra
    )

/// Each bad --aux input exits with code 1 and one stderr line containing every expected part.
let ``genstats train --aux: bad input is one line that says what is wrong and what is allowed`` () =
    for args, parts in
        [
            [ "--model"; "cramer"; "--aux"; "massx(pt1,eta1)" ], [ "unknown function 'massx'"; "mass" ]
            [ "--model"; "cramer"; "--aux"; "mass(pt1,eta1,phi1,pt3,eta2,phi2)" ],
            [ "'pt3'"; "available: pt1, eta1, phi1, pt2, eta2, phi2" ]
            [ "--model"; "cramer"; "--aux"; mass; "--aux-weight"; "-1" ], [ "--aux-weight is -1"; "positive" ]
            [ "--model"; "cramer"; "--aux"; mass; "--aux-distance"; "kl" ], [ "'kl'"; "mmd or energy" ]
            [ "--model"; "cramer"; "--aux-weight"; "2" ], [ "need --aux" ]
            [ "--model"; "vae"; "--aux"; mass ], [ "GAN family"; "'vae'" ]
            [ "--model"; "kde"; "--aux"; mass ], [ "GAN family"; "'kde'" ]
        ] do
        let what = String.Join(" ", args)
        let code, _, err = train args
        Expect.equal code 1 (what + ": exit code")
        let lines = err.Trim().Split('\n')
        Expect.equal lines.Length 1 (sprintf "%s: one line, got %A" what lines)

        for p in parts do
            contains p lines[0] what

/// A few steps of the default GAN on the dimuon toy with --aux: the model file and the summary name
/// the statistic, and the history (kept and CSV) has the aux loss at every step.
let ``genstats train --aux writes a model that records the statistic and an aux loss per step`` () =
    let dir =
        Directory.CreateDirectory(
            Path.Combine(Path.GetTempPath(), sprintf "genstats-aux-%s" (Guid.NewGuid().ToString("N")))
        )

    try
        let data = Path.Combine(dir.FullName, "dimuon.csv")
        Csv.Write(DimuonToy.Sample(400, 3), data)
        let model = Path.Combine(dir.FullName, "m.gsm")
        let history = Path.Combine(dir.FullName, "h.csv")
        let cfg = Path.Combine(dir.FullName, "cfg.json")
        File.WriteAllText(cfg, """{"generatorLayers": [16], "criticLayers": [16], "batchSize": 64, "criticSteps": 1}""")

        let code, out, err =
            runCli
                [
                    "train"
                    "--data"
                    data
                    "--features"
                    "pt1,eta1,phi1,pt2,eta2,phi2"
                    "--model"
                    "cramer"
                    "--config"
                    cfg
                    "--steps"
                    "4"
                    "--aux"
                    mass
                    "--aux-weight"
                    "2.5"
                    "--aux-distance"
                    "energy"
                    "--out"
                    model
                    "--history"
                    history
                ]

        Expect.equal code 0 (sprintf "exit code (stderr: %s)" err)
        contains "in the loss — not evidence" out "the summary labels the statistic"
        let gan = ModelFile.Load model :?> ConditionalGan

        Expect.equal
            gan.Auxiliary
            (AuxiliaryTerm(mass, 2.5f, StatisticDistance.Energy, 0f))
            "the model records the term"

        Expect.equal gan.History.Steps.Count 4 "steps kept"

        for s in gan.History.Steps do
            Expect.isTrue (Double.IsFinite s.Losses["aux"]) "a finite aux loss at every step"

        let header = (File.ReadLines history |> Seq.head).Split(',')
        Expect.contains header "loss_aux" "the history CSV has the aux loss"
    finally
        dir.Delete true

/// Quickselect returns sorted[rank] (numpy's np.partition(v, r)[r]) for every rank, with ties.
let ``Selection.Select returns the value of each rank of the sorted array`` () =
    let rnd = Random(5)

    for n in [ 1; 2; 3; 10; 101; 256 ] do
        // Values from a small set, so that runs of equal values occur.
        let v = Array.init n (fun _ -> float32 (rnd.Next(0, max 2 (n / 3))))
        let sorted = Array.sort v

        for r in 0 .. n - 1 do
            Expect.equal (Selection.Select(Span<float32>(Array.copy v), r)) sorted[r] (sprintf "n = %d, rank %d" n r)

[<Tests>]
let tests =
    testList
        "Models.Auxiliary"
        [
            testCase
                "genstats train --aux: bad input is one line that says what is wrong and what is allowed"
                ``genstats train --aux: bad input is one line that says what is wrong and what is allowed``
            testCase
                "Selection.Select returns the value of each rank of the sorted array"
                ``Selection.Select returns the value of each rank of the sorted array``
            TestMain.slow
                [
                    testCase
                        "genstats train --aux writes a model that records the statistic and an aux loss per step"
                        ``genstats train --aux writes a model that records the statistic and an aux loss per step``
                ]
        ]
