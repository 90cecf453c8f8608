/// The validation/*.fsx study scripts, run as a user runs them (`dotnet fsi <script> --quick` in an
/// empty folder): each must exit 0 and write out/<name>.html and out/<name>.json; the page is
/// rendered offline in headless Chromium with every figure drawn, and the JSON is checked against
/// closed forms and the page's own tables. The escaping test builds a page in-process.
module GenStats.Tests.Validation.Studies.StudyPagesTests

open System
open System.IO
open System.Text.Json.Nodes
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Stats
open GenStats.Physics
open GenStats.Validation
open GenStats.Validation.Studies
open GenStats.Tests.Tolerance
open GenStats.Tests.Validation

let private evil = "<script>alert(1)</script>"

/// A JSON number, NaN for null (how non-finite numbers are written).
let private num (n: JsonNode) =
    if isNull n then nan else n.GetValue<float>()

let private text (n: JsonNode) = n.GetValue<string>()
let private items (n: JsonNode) = n.AsArray() |> Seq.toList

/// Runs `dotnet fsi validation/<name>.fsx --quick` in a fresh temporary folder; asserts exit 0,
/// that out/<name>.html renders offline in Chromium with all the figures the JSON lists drawn
/// (and that many: `figures`), no page error, and that the JSON has the title and no NaN or ∞;
/// hands (stdout, DOM, JSON) to check.
let private checkScript (name: string) (title: string) (figures: int) (check: string -> string -> JsonNode -> unit) =
    let dir = Directory.CreateTempSubdirectory("genstats-script-" + name + "-")

    try
        let run = Scripts.assertRuns name [ "--quick" ] dir.FullName
        let out = Path.Combine(dir.FullName, "out")
        let jsonText = File.ReadAllText(Path.Combine(out, name + ".json"))
        Chromium.assertLacks "NaN" jsonText "non-finite numbers are null"
        Chromium.assertLacks "Infinity" jsonText "non-finite numbers are null"
        let json = JsonNode.Parse jsonText
        Expect.equal (text json.["title"]) title ("text json.[\"title\"]")

        let listed =
            items json.["sections"] |> List.sumBy (fun s -> (items s.["figures"]).Length)

        Expect.equal listed figures "figures of the page"

        let seen =
            Chromium.assertRendersOfflineWith listed (Path.Combine(out, name + ".html"))

        Chromium.assertHas title seen.Dom "the page's title"
        check run.Stdout seen.Dom json
    finally
        dir.Delete(true)

/// Table t of the JSON's first section, as rows of cells.
let private table (json: JsonNode) (t: int) =
    items json.["sections"].[0].["tables"].[t].["rows"] |> List.map items

/// A value printed in a table equals the same value in the numbers (both null when non-finite).
let private same (what: string) (expected: float) (actual: float) =
    if Double.IsNaN expected then
        Expect.isTrue (Double.IsNaN actual) what
    else
        Expect.equal actual expected what

let ``amplification.fsx --quick runs; every figure drawn offline; JSON holds the factors of every source`` () =
    checkScript "amplification" "Amplification study (bimodal toy)" 2 (fun _ dom json ->
        let a = json.["numbers"].["amplification"]
        // The --quick sizes, as the script sets them.
        Expect.equal (num a.["TrainingEvents"]) 300.0 ("num a.[\"TrainingEvents\"]")

        Expect.equal
            (items a.["Config"].["SampleSizes"] |> List.map num)
            [ 200.0; 2_000.0 ]
            ("items a.[\"Config\"].[\"SampleSizes\"] |> List.map num")

        Expect.equal
            (items a.["Config"].["QuantileCounts"] |> List.map num)
            [ 5.0; 10.0 ]
            ("items a.[\"Config\"].[\"QuantileCounts\"] |> List.map num")

        let curves = items a.["Curves"]
        Expect.equal curves.Length (4 * 2 * 2) "4 sources × 2 n_q × 2 n"

        for c in curves do
            // A true sample of n events has E[χ̂²] = (n_q − 1)/n.
            assertClose
                { Absolute = 1e-15; Relative = 0.0 }
                ((num c.["Quantiles"] - 1.0) / num c.["Events"])
                (num c.["Expected"])
                ("num c.[\"Expected\"]")

        let factors = items a.["Factors"]
        Expect.equal factors.Length (4 * 2) "factors.Length"
        let rows = table json 0
        Expect.equal rows.Length factors.Length "rows.Length"

        for f, row in List.zip factors rows do
            Expect.equal (num f.["Events"]) 2_000.0 "factors are read at the largest n"
            Expect.equal (text row.[0]) (text f.["Source"]) "text row.[0]"
            same "n_q" (num f.["Quantiles"]) (num row.[1])
            same "χ̂²" (num f.["ChiSquare"].["Value"]) (num row.[2].["value"])
            same "N_eq" (num f.["EquivalentEvents"].["Value"]) (num row.[3].["value"])
            same "amplification" (num f.["Amplification"].["Value"]) (num row.[4].["value"])
            // N_eq = (n_q − 1)/χ̂², amplification = N_eq/N_train.
            assertClose
                veryHigh
                ((num f.["Quantiles"] - 1.0) / num f.["ChiSquare"].["Value"])
                (num f.["EquivalentEvents"].["Value"])
                "N_eq"

            assertClose
                veryHigh
                (num f.["EquivalentEvents"].["Value"] / 300.0)
                (num f.["Amplification"].["Value"])
                "amplification"

        Expect.equal
            (items a.["Training"] |> List.map (fun t -> num t.["Expected"]))
            [ 4.0 / 300.0; 9.0 / 300.0 ]
            ("items a.[\"Training\"] |> List.map (fun t -> num t.[\"Expected\"])")

        Chromium.assertHas "KDE (cross-validated)" dom "the legend names the sources")

let ``tails.fsx --quick runs; every figure drawn offline; JSON holds systematics against the exact truth`` () =
    checkScript "tails" "Tails and decomposition (LogNormal pair)" 1 (fun _ dom json ->
        let t = json.["numbers"].["tails"]
        Expect.equal (num t.["Config"].["TrainingEvents"]) 300.0 "the --quick size"
        let systematics = items t.["Systematics"]
        Expect.equal systematics.Length (2 * 3) "2 quantities × 3 sources"
        let rows = table json 0

        for s, row in List.zip systematics rows do
            Expect.equal (text row.[0]) (text s.["Quantity"]) "text row.[0]"
            Expect.equal (text row.[1]) (text s.["Source"]) "text row.[1]"
            same "value" (num s.["Central"].["Value"]) (num row.[2].["value"])
            same "truth" (num s.["Truth"]) (num row.[4])

            assertClose
                veryHigh
                (num s.["Central"].["Value"] - num s.["Truth"])
                (num s.["Bias"])
                "bias = value − truth"
        // LogNormal(0, 1): E[x1 + x2] = 2 e^{1/2}.
        for s in systematics |> List.filter (fun s -> text s.["Quantity"] = "mean of x1+x2") do
            assertClose veryHigh (2.0 * exp 0.5) (num s.["Truth"]) "truth of the mean"

        let decompositions = items t.["Decompositions"]

        Expect.equal
            (decompositions |> List.map (fun d -> num d.["TrainingEvents"]))
            [ 300.0; 300.0; 100.0 ]
            ("decompositions |> List.map (fun d -> num d.[\"TrainingEvents\"])")

        Expect.equal (table json 1 |> List.length) 3 "table json 1 |> List.length"
        let mean = decompositions.Head
        Expect.isNull (mean.["PredictedPermutedSpread"]) "no prediction for the mean: None is null"
        // Each permutation uses every x2 once: the permuted mean equals the paired one, replica by replica.
        assertClose
            high
            (num mean.["PairedSpread"].["Value"])
            (num mean.["PermutedSpread"].["Value"])
            "permuted = paired for the mean"

        Expect.isGreaterThan
            (num decompositions.[1].["PredictedPermutedSpread"])
            0.0
            ("num decompositions.[1].[\"PredictedPermutedSpread\"]")

        Expect.equal (num t.["Config"].["Options"].["Sigma"]) 1.0 ("num t.[\"Config\"].[\"Options\"].[\"Sigma\"]")
        Chromium.assertHas "cut-off marginal" dom "the bars name the sources")

let ``holdout.fsx --quick runs; every figure drawn offline; JSON flags the statistics in the loss`` () =
    checkScript
        "holdout"
        "Marginal-statistic hold-out (Cramér GAN, LogNormal pair in log space)"
        1
        (fun stdout dom json ->
            // One GAN trained with the statistics of s in the loss, then the plain one.
            Expectations.contains "trained with {mean of y1 + y2, sd of y1 + y2}" stdout "stdout"
            Expectations.contains "trained with {}" stdout "stdout"
            let h = json.["numbers"].["holdout"]

            Expect.equal
                (items h.["InLoss"] |> List.map text)
                [ "mean of y1 + y2"; "sd of y1 + y2" ]
                ("items h.[\"InLoss\"] |> List.map text")

            let rows = items h.["Rows"]

            Expect.equal
                (rows |> List.map (fun r -> text r.["Name"]))
                [
                    "mean of y1 + y2"
                    "sd of y1 + y2"
                    "sd of y1"
                    "P(y1 > 1.5)"
                    "corr(y1, y2)"
                ]
                ("rows |> List.map (fun r -> text r.[\"Name\"])")

            Expect.equal
                (rows |> List.map (fun r -> r.["InLoss"].GetValue<bool>()))
                [ true; true; false; false; false ]
                ("rows |> List.map (fun r -> r.[\"InLoss\"].GetValue<bool>())")

            Expect.equal
                (rows |> List.map (fun r -> text r.["Note"]))
                [
                    Holdout.inLossNote (num rows.[0].["WithLoss"].["Sigma"])
                    Holdout.inLossNote (num rows.[1].["WithLoss"].["Sigma"])
                    "held out"
                    "held out"
                    "held out"
                ]
                ("rows |> List.map (fun r -> text r.[\"Note\"])")

            for r in rows |> List.filter (fun r -> r.["InLoss"].GetValue<bool>()) do
                Expect.equal
                    (r.["StillOff"].GetValue<bool>())
                    (not (abs (num r.["WithLoss"].["Sigma"]) <= 3.0))
                    "flagged exactly when |σ| > 3"

            for r, cells in List.zip rows (table json 0) do
                same "σ (with)" (num r.["WithLoss"].["Sigma"]) (num cells.[3].["sigma"])
                same "σ (without)" (num r.["WithoutLoss"].["Sigma"]) (num cells.[5].["sigma"])

                same
                    "one real sample"
                    (num r.["WithLoss"].["Real"].["Value"])
                    (num r.["WithoutLoss"].["Real"].["Value"])
            // The real sample is y = ln x of LogNormal(0, 1) pairs, so y1, y2 ~ N(0, 1) independent: each
            // real statistic is within 5 of its bootstrap σ of the exact value.
            let exact =
                [ 0.0; sqrt 2.0; 1.0; 1.0 - GenStats.Numerics.StandardNormal.Cdf 1.5; 0.0 ]

            for r, e in List.zip rows exact do
                let real = r.["WithLoss"].["Real"]
                Expect.isLessThan (abs (num real.["Value"] - e)) (5.0 * num real.["Uncertainty"]) (text r.["Name"])

            Chromium.assertHas "corr(y1, y2)" dom "the bars name the statistics")

let ``propagation.fsx --quick runs; every figure drawn offline; JSON holds members, pulls and coverage`` () =
    // The --quick sizes of the script: 4 members, each P(x > 5) measured on 2 000 generated events.
    let members, generated = 4, 2_000

    checkScript "propagation" "Systematics propagation (bimodal toy, KDE ensemble)" 2 (fun stdout dom json ->
        let p = json.["numbers"].["propagation"]
        // Bimodal toy ½(N(−4, 1) + N(4, 1)): P(x > 5) = ½(1 − Φ(9)) + ½(1 − Φ(1)) = 0.0793276269657.
        assertClose { Absolute = 1e-12; Relative = 0.0 } 0.0793276269657285 (num p.["Truth"]) ("num p.[\"Truth\"]")
        let ms = items p.["Members"]
        Expect.equal ms.Length members "ms.Length"
        let values = ms |> List.map (fun m -> num m.["Result"].["Value"])

        for m, v in List.zip ms values do
            // A fraction of `generated` events with its binomial error √(p(1 − p)/n).
            assertClose
                { Absolute = 1e-6; Relative = 0.0 }
                (Math.Round(v * float generated))
                (v * float generated)
                "a count over n"

            assertClose
                veryHigh
                (sqrt (v * (1.0 - v) / float generated))
                (num m.["Result"].["Uncertainty"])
                "binomial error"
            // The script prints every member as it finishes.
            Expectations.contains (sprintf "member %2d: %.5f" (num m.["Index"] |> int) v) stdout "stdout"

        assertClose veryHigh (List.average values) (num p.["Central"]) "central = mean of the members"

        let syst =
            sqrt (
                (values |> List.sumBy (fun v -> (v - List.average values) ** 2.0))
                / float (members - 1)
            )

        assertClose veryHigh syst (num p.["Systematic"]) "systematic = sd (K − 1) of the members"
        let pulls = items p.["Pulls"] |> List.map num
        let covered = pulls |> List.filter (fun x -> abs x <= 1.0) |> List.length
        assertClose veryHigh (float covered / float members) (num p.["Coverage"]) "coverage = fraction of |pull| ≤ 1"
        let row = (table json 0).Head
        same "central" (num p.["Central"]) (num row.[0].["value"])
        same "truth" (num p.["Truth"]) (num row.[3])
        Chromium.assertHas "Pulls against the truth" dom "the pull histogram")

let ``resonance.fsx --quick runs; every figure drawn offline; JSON holds ratios, windows and copy ratios`` () =
    // The --quick sizes of the script: 800 events per data set, halves of 400.
    let half = 400.0

    checkScript "resonance" "Resonance study (ATLAS Higgs-ML and dimuon toy, default models)" 4 (fun stdout dom json ->
        Expectations.contains "cramer with the mass in the loss trained in" stdout "stdout"
        let sets = items json.["numbers"].["resonance"].["DataSets"]
        Expect.equal sets.Length 2 "ATLAS and the toy"

        for d in sets do
            Expect.equal (num d.["TrainEvents"]) half "training half"
            Expect.equal (num d.["TestEvents"]) half "test half"
            let models = items d.["Models"]

            Expect.equal
                (models |> List.map (fun m -> text m.["Model"]))
                [ "cramer"; "wgan-gp"; "vae"; "cfm"; "flow"; "kde"; "library" ]
                "the models"

            for m in models do
                let name = text d.["Name"] + " / " + text m.["Model"]
                let ratio = num m.["MassRatio"].["Value"]
                Expect.isTrue (Double.IsFinite ratio && ratio > 0.0) (name + ": mass ratio finite and positive")
                Expect.isTrue (num m.["MassRatio"].["Uncertainty"] > 0.0) (name + ": the ratio has a bootstrap σ")

                for side in [ "Real"; "Generated" ] do
                    let p = num m.["Window"].[side].["Value"]
                    // A fraction of 400 events with its binomial σ √(p(1 − p)/n).
                    assertClose
                        { Absolute = 1e-9; Relative = 0.0 }
                        (Math.Round(p * half))
                        (p * half)
                        (name + ": a count")

                    assertClose
                        veryHigh
                        (sqrt (p * (1.0 - p) / half))
                        (num m.["Window"].[side].["Uncertainty"])
                        (name + ": binomial σ")

                let copy = num m.["CopyRatio"]

                if text m.["Model"] = "library" then
                    // The library resamples training events: each is its own nearest training neighbour.
                    Expect.equal copy 0.0 (name + ": copies are at distance 0")
                else
                    // Continuous models: an exact copy has probability 0.
                    Expect.isTrue (Double.IsFinite copy && copy > 0.0) (name + ": new events")

                assertClose
                    veryHigh
                    (num m.["GeneratedNeighbourMedian"] / num m.["TestNeighbourMedian"])
                    copy
                    (name + ": ratio of the medians")

            // Every model is compared with the same test half.
            Expect.equal
                (models
                 |> List.map (fun m -> num m.["Window"].["Real"].["Value"])
                 |> List.distinct)
                    .Length
                1
                "one test half"

            let h = d.["Holdout"]
            let rows = items h.["Rows"]

            Expect.equal
                (items h.["InLoss"] |> List.map text)
                (rows |> List.take 3 |> List.map (fun r -> text r.["Name"]))
                "the mass statistics are in the loss"

            for r in rows do
                if r.["InLoss"].GetValue<bool>() then
                    Expectations.contains "in the loss — not evidence" (text r.["Note"]) "labelled, with its σ"
                    Expect.isFalse ((text r.["Note"]).Contains "by construction") "no claim of a match"

                    Expect.equal
                        (r.["StillOff"].GetValue<bool>())
                        (not (abs (num r.["WithLoss"].["Sigma"]) <= 3.0))
                        "flagged exactly when |σ| > 3"
                else
                    Expect.equal (text r.["Note"]) "held out" "held out"

            Expect.equal
                (rows |> List.skip 3 |> List.map (fun r -> text r.["Name"]))
                [ "mean of pT(pair)"; "sd of pT(pair)"; "mean of |Δφ|"; "sd of |Δφ|" ]
                "pair pT and Δφ are held out"

        let window (d: JsonNode) =
            let m = (items d.["Models"]).Head.["Window"].["Real"].["Value"] |> num
            m, sqrt (m * (1.0 - m) / half)
        // ATLAS: 2 326 of the file's 4 999 events have DER_mass_vis in (60, 90) GeV (python3 on the
        // file: 0.4652930586117223); the test half is a random subset, within 3 binomial σ of it.
        let pAtlas, sAtlas = window sets.[0]
        Expect.isLessThan (abs (pAtlas - 2326.0 / 4999.0)) (3.0 * sAtlas) "ATLAS test-half window fraction"
        // Toy: the truth fraction of the reconstructed M in (86, 96) GeV from an independent large
        // sample of the toy (the Breit–Wigner MassCdf alone omits the resolution and the acceptance).
        let truth =
            DimuonToy.Sample(100_000, 99).Column "M"
            |> Array.averageBy (fun m -> if m > 86.0 && m < 96.0 then 1.0 else 0.0)

        let pToy, sToy = window sets.[1]

        Expect.isLessThan
            (abs (pToy - truth))
            (3.0 * sqrt (sToy ** 2.0 + truth * (1.0 - truth) / 100_000.0))
            "toy test-half window fraction vs the truth"
        // The page shows the JSON's numbers.
        let cells = items json.["sections"].[0].["tables"].[0].["rows"] |> List.map items

        for m, row in List.zip (items sets.[0].["Models"]) cells do
            Expect.equal (text row.[0]) (text m.["Model"]) "model"
            same "ratio" (num m.["MassRatio"].["Value"]) (num row.[1].["value"])

        Chromium.assertHas "library" dom "the legend names the models")

/// The four study sections with a user's name in every place a name goes, in one document
/// composed as the scripts compose theirs (toSection → StudyReport.report).
let private evilPage () =
    let uniform: Amplification.Sampler =
        fun n seed -> let r = Random(seed) in Array.init n (fun _ -> r.NextDouble())

    let amplification =
        Amplification.run
            { Amplification.defaultConfig with
                SampleSizes = [ 100; 200 ]
                QuantileCounts = [ 4 ]
                Seeds = 2
            }
            (Amplification.InverseCdf id)
            [ evil, uniform ]
            (uniform 100 1)

    let tails =
        let d = LogNormalPair.Sample(200, 3, LogNormalPairOptions.Default)

        let q: Tails.Quantity =
            {
                Name = evil
                Compute = Array.average
                Truth = 2.0 * exp 0.5
            }

        let config =
            { Tails.defaultConfig with
                TrainingEvents = 200
                TargetEvents = 2_000
                Replicas = 4
                Permutations = 2
                ParametricEvents = 500
            }

        Tails.run config [ q, None ] (d.Column "x1") (d.Column "x2")

    let holdout =
        let rng = Random(5)

        let rows n =
            Array.init n (fun _ -> [| rng.NextDouble() |])

        let mean =
            Holdout.statistic evil (BootstrapOptions(20, 1)) (fun r w ->
                WeightedDescriptive.Mean(r |> Array.map (fun x -> x.[0]), w))

        Holdout.run (fun _ -> rows 300) [ evil ] [ mean ] (rows 300)

    let propagation =
        let m i v : Propagation.Member =
            {
                Index = i
                Seed = i
                Result = { Value = v; Uncertainty = 0.1 }
            }

        Propagation.summarize (Some 1.0) [ m 0 0.9; m 1 1.0; m 2 1.2 ]

    [
        Amplification.toSection amplification
        Tails.toSection tails
        Holdout.toSection holdout
        PropagationReport.toSection evil propagation
    ]
    |> StudyReport.report
        ("amplification of " + evil)
        [ "source " + evil ]
        (StudyReport.numbers "amplification" amplification)

let ``names from user data are escaped on the study pages and run no script`` () =
    let report = evilPage ()
    Expect.equal report.Sections.Length 4 "report.Sections.Length"
    let dir = Directory.CreateTempSubdirectory("genstats-study-evil-")

    try
        StudyReport.writeAll dir.FullName "evil" report
        let path = Path.Combine(dir.FullName, "evil.html")
        let html = File.ReadAllText path
        Chromium.assertLacks evil html "a raw <script> from user data would run"
        Chromium.assertHas "&lt;script&gt;alert(1)&lt;/script&gt;" html "headings and table text are HTML-encoded"
        Chromium.assertHas "\\u003Cscript\\u003Ealert(1)" html "figure JSON cannot close its <script>"
        // The page hook turns any alert() into a page error, so this also proves no dialog opened.
        let seen = Chromium.assertRendersOffline report path
        Chromium.assertLacks evil seen.Dom "the user's <script> did not become an element"
        Chromium.assertHas "alert(1)" seen.Dom "the name is shown as text"
        let json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.FullName, "evil.json")))

        Expect.equal
            (text json.["numbers"].["amplification"].["Factors"].[0].["Source"])
            evil
            "JSON keeps the name as it is"
    finally
        dir.Delete(true)

let ``calorimeter.fsx --quick runs; every figure drawn offline; an independent toy passes next to the control`` () =
    checkScript "calorimeter" "Calorimeter showers: generated vs ECAL toy truth" 6 (fun stdout dom json ->
        let c = json.["numbers"].["calorimeter"]
        // Without a generated file the generated column is a third toy sample: both must pass.
        Expect.isTrue (c.["generated"].["passes"].GetValue<bool>()) "the independent toy sample passes"
        Expect.isTrue (c.["control"].["passes"].GetValue<bool>()) "the control passes"
        Expect.isLessThanOrEqual (num c.["generated"].["max_abs"]) 4.0 "max |σ| within the criterion"
        Chromium.assertHas "A figure of merit passes when" dom "the criterion is stated on the page"
        Chromium.assertHas "response Σ cells / |p|" dom "the response table is on the page"
        Expect.stringContains stdout "PASSES" "the verdict reaches the console")

[<Tests>]
let tests =
    testList
        "StudyPagesTests"
        [
            slow
                [
                    testCase
                        "amplification.fsx --quick runs; every figure drawn offline; JSON holds the factors of every source"
                        ``amplification.fsx --quick runs; every figure drawn offline; JSON holds the factors of every source``
                    testCase
                        "tails.fsx --quick runs; every figure drawn offline; JSON holds systematics against the exact truth"
                        ``tails.fsx --quick runs; every figure drawn offline; JSON holds systematics against the exact truth``
                    testCase
                        "holdout.fsx --quick runs; every figure drawn offline; JSON flags the statistics in the loss"
                        ``holdout.fsx --quick runs; every figure drawn offline; JSON flags the statistics in the loss``
                    testCase
                        "propagation.fsx --quick runs; every figure drawn offline; JSON holds members, pulls and coverage"
                        ``propagation.fsx --quick runs; every figure drawn offline; JSON holds members, pulls and coverage``
                    testCase
                        "resonance.fsx --quick runs; every figure drawn offline; JSON holds ratios, windows and copy ratios"
                        ``resonance.fsx --quick runs; every figure drawn offline; JSON holds ratios, windows and copy ratios``
                    testCase
                        "calorimeter.fsx --quick runs; every figure drawn offline; an independent toy passes next to the control"
                        ``calorimeter.fsx --quick runs; every figure drawn offline; an independent toy passes next to the control``
                    testCase
                        "names from user data are escaped on the study pages and run no script"
                        ``names from user data are escaped on the study pages and run no script``
                ]
        ]
