/// The study pages as the validation/*.fsx scripts write them (the same page functions, at small
/// sizes): written with StudyReport.writeAll, rendered offline in headless Chromium, JSON read back.
module GenStats.Tests.Validation.Studies.StudyPagesTests

open System
open System.IO
open System.Text.Json.Nodes
open NUnit.Framework
open GenStats.Stats
open GenStats.Physics
open GenStats.Validation
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report
open GenStats.Validation.Studies
open GenStats.Tests.Tolerance
open GenStats.Tests.Validation

let private evil = "<script>alert(1)</script>"

/// A JSON number, NaN for null (how non-finite numbers are written).
let private num (n: JsonNode) = if isNull n then nan else n.GetValue<float>()
let private text (n: JsonNode) = n.GetValue<string>()
let private items (n: JsonNode) = n.AsArray() |> Seq.toList

/// Writes the page as the scripts do (dir/name.html + dir/name.json), renders it offline in
/// Chromium with every figure drawn and no page error, and hands (DOM, JSON) to check.
let private checkPage (name: string) (report: Document.Report) (check: string -> JsonNode -> unit) =
    let dir = Directory.CreateTempSubdirectory("genstats-study-page-")
    try
        StudyReport.writeAll dir.FullName name report
        let html = Path.Combine(dir.FullName, name + ".html")
        let seen = Chromium.assertRendersOffline report html
        let jsonText = File.ReadAllText(Path.Combine(dir.FullName, name + ".json"))
        Chromium.assertLacks "NaN" jsonText "non-finite numbers are null"
        Chromium.assertLacks "Infinity" jsonText "non-finite numbers are null"
        let json = JsonNode.Parse jsonText
        Assert.That(text json.["title"], Is.EqualTo report.Title)
        check seen.Dom json
    finally
        dir.Delete(true)

/// Table t of the JSON's first section, as rows of cells.
let private table (json: JsonNode) (t: int) = items json.["sections"].[0].["tables"].[t].["rows"] |> List.map items

/// A value printed in a table equals the same value in the numbers (both null when non-finite).
let private same (what: string) (expected: float) (actual: float) =
    if Double.IsNaN expected then Assert.That(actual, Is.NaN, what) else Assert.That(actual, Is.EqualTo expected, what)

[<Test>]
let ``amplification page: every figure drawn offline, JSON holds the factors of every source`` () =
    let config = { Amplification.defaultConfig with SampleSizes = [ 200; 2_000 ]; QuantileCounts = [ 5; 10 ]; Seeds = 3 }
    checkPage "amplification" (Amplification.bimodalPage config 300) (fun dom json ->
        let a = json.["numbers"].["amplification"]
        Assert.That(num a.["TrainingEvents"], Is.EqualTo 300.0)
        let curves = items a.["Curves"]
        Assert.That(curves.Length, Is.EqualTo(4 * 2 * 2), "4 sources × 2 n_q × 2 n")
        for c in curves do
            // A true sample of n events has E[χ̂²] = (n_q − 1)/n.
            Assert.That(num c.["Expected"], Is.EqualTo((num c.["Quantiles"] - 1.0) / num c.["Events"]).Within(1e-15))
        let factors = items a.["Factors"]
        Assert.That(factors.Length, Is.EqualTo(4 * 2))
        let rows = table json 0
        Assert.That(rows.Length, Is.EqualTo factors.Length)
        for f, row in List.zip factors rows do
            Assert.That(num f.["Events"], Is.EqualTo 2_000.0, "factors are read at the largest n")
            Assert.That(text row.[0], Is.EqualTo(text f.["Source"]))
            same "n_q" (num f.["Quantiles"]) (num row.[1])
            same "χ̂²" (num f.["ChiSquare"].["Value"]) (num row.[2].["value"])
            same "N_eq" (num f.["EquivalentEvents"].["Value"]) (num row.[3].["value"])
            same "amplification" (num f.["Amplification"].["Value"]) (num row.[4].["value"])
            // N_eq = (n_q − 1)/χ̂², amplification = N_eq/N_train.
            assertClose veryHigh ((num f.["Quantiles"] - 1.0) / num f.["ChiSquare"].["Value"]) (num f.["EquivalentEvents"].["Value"]) "N_eq"
            assertClose veryHigh (num f.["EquivalentEvents"].["Value"] / 300.0) (num f.["Amplification"].["Value"]) "amplification"
        Assert.That(items a.["Training"] |> List.map (fun t -> num t.["Expected"]), Is.EqualTo(box [ 4.0 / 300.0; 9.0 / 300.0 ]))
        Chromium.assertHas "KDE (cross-validated)" dom "the legend names the sources")

[<Test>]
let ``tails page: every figure drawn offline, JSON holds systematics against the exact truth`` () =
    let config = { Tails.defaultConfig with TrainingEvents = 300; TargetEvents = 20_000; Replicas = 10; Permutations = 5; ParametricEvents = 2_000 }
    checkPage "tails" (Tails.logNormalPage config 100) (fun dom json ->
        let t = json.["numbers"].["tails"]
        let systematics = items t.["Systematics"]
        Assert.That(systematics.Length, Is.EqualTo(2 * 3), "2 quantities × 3 sources")
        let rows = table json 0
        for s, row in List.zip systematics rows do
            Assert.That(text row.[0], Is.EqualTo(text s.["Quantity"]))
            Assert.That(text row.[1], Is.EqualTo(text s.["Source"]))
            same "value" (num s.["Central"].["Value"]) (num row.[2].["value"])
            same "truth" (num s.["Truth"]) (num row.[4])
            assertClose veryHigh (num s.["Central"].["Value"] - num s.["Truth"]) (num s.["Bias"]) "bias = value − truth"
        // LogNormal(0, 1): E[x1 + x2] = 2 e^{1/2}.
        for s in systematics |> List.filter (fun s -> text s.["Quantity"] = "mean of x1+x2") do
            assertClose veryHigh (2.0 * exp 0.5) (num s.["Truth"]) "truth of the mean"
        let decompositions = items t.["Decompositions"]
        Assert.That(decompositions |> List.map (fun d -> num d.["TrainingEvents"]), Is.EqualTo(box [ 300.0; 300.0; 100.0 ]))
        Assert.That(table json 1 |> List.length, Is.EqualTo 3)
        let mean = decompositions.Head
        Assert.That(mean.["PredictedPermutedSpread"], Is.Null, "no prediction for the mean: None is null")
        // Each permutation uses every x2 once: the permuted mean equals the paired one, replica by replica.
        assertClose high (num mean.["PairedSpread"].["Value"]) (num mean.["PermutedSpread"].["Value"]) "permuted = paired for the mean"
        Assert.That(num decompositions.[1].["PredictedPermutedSpread"], Is.GreaterThan 0.0)
        Assert.That(num t.["Config"].["Options"].["Sigma"], Is.EqualTo 1.0)
        Chromium.assertHas "cut-off marginal" dom "the bars name the sources")

[<Test>]
let ``holdout page: every figure drawn offline, JSON flags the statistics in the loss`` () =
    checkPage "holdout" (Holdout.ganPage ignore 5 400) (fun dom json ->
        let h = json.["numbers"].["holdout"]
        Assert.That(items h.["InLoss"] |> List.map text, Is.EqualTo(box [ "mean of y1 + y2"; "sd of y1 + y2" ]))
        let rows = items h.["Rows"]
        Assert.That(rows |> List.map (fun r -> text r.["Name"]), Is.EqualTo(box [ "mean of y1 + y2"; "sd of y1 + y2"; "sd of y1"; "P(y1 > 1.5)"; "corr(y1, y2)" ]))
        Assert.That(rows |> List.map (fun r -> r.["InLoss"].GetValue<bool>()), Is.EqualTo(box [ true; true; false; false; false ]))
        Assert.That(rows |> List.map (fun r -> text r.["Note"]), Is.EqualTo(box [ Holdout.matchedNote; Holdout.matchedNote; "held out"; "held out"; "held out" ]))
        for r, cells in List.zip rows (table json 0) do
            same "σ (with)" (num r.["WithLoss"].["Sigma"]) (num cells.[3].["sigma"])
            same "σ (without)" (num r.["WithoutLoss"].["Sigma"]) (num cells.[5].["sigma"])
            same "one real sample" (num r.["WithLoss"].["Real"].["Value"]) (num r.["WithoutLoss"].["Real"].["Value"])
        // The real sample is y = ln x of LogNormal(0, 1) pairs, so y1, y2 ~ N(0, 1) independent: each
        // real statistic is within 5 of its bootstrap σ of the exact value.
        let exact = [ 0.0; sqrt 2.0; 1.0; 1.0 - StandardNormal.Cdf 1.5; 0.0 ]
        for r, e in List.zip rows exact do
            let real = r.["WithLoss"].["Real"]
            Assert.That(abs (num real.["Value"] - e), Is.LessThan(5.0 * num real.["Uncertainty"]), text r.["Name"])
        Chromium.assertHas "corr(y1, y2)" dom "the bars name the statistics")

[<Test>]
let ``propagation page: every figure drawn offline, JSON holds members, pulls and coverage`` () =
    let generated = 2_000
    checkPage "propagation" (PropagationReport.kdeEnsemblePage ignore 4 300 generated) (fun dom json ->
        let p = json.["numbers"].["propagation"]
        // Bimodal toy ½(N(−4, 1) + N(4, 1)): P(x > 5) = ½(1 − Φ(9)) + ½(1 − Φ(1)) = 0.0793276269657.
        Assert.That(num p.["Truth"], Is.EqualTo(0.0793276269657285).Within(1e-12))
        let members = items p.["Members"]
        Assert.That(members.Length, Is.EqualTo 4)
        let values = members |> List.map (fun m -> num m.["Result"].["Value"])
        for m, v in List.zip members values do
            // A fraction of `generated` events with its binomial error √(p(1 − p)/n).
            Assert.That(v * float generated, Is.EqualTo(Math.Round(v * float generated)).Within(1e-6), "a count over n")
            assertClose veryHigh (sqrt (v * (1.0 - v) / float generated)) (num m.["Result"].["Uncertainty"]) "binomial error"
        assertClose veryHigh (List.average values) (num p.["Central"]) "central = mean of the members"
        let syst = sqrt ((values |> List.sumBy (fun v -> (v - List.average values) ** 2.0)) / 3.0)
        assertClose veryHigh syst (num p.["Systematic"]) "systematic = sd (K − 1) of the members"
        let pulls = items p.["Pulls"] |> List.map num
        let covered = pulls |> List.filter (fun x -> abs x <= 1.0) |> List.length
        assertClose veryHigh (float covered / 4.0) (num p.["Coverage"]) "coverage = fraction of |pull| ≤ 1"
        let row = (table json 0).Head
        same "central" (num p.["Central"]) (num row.[0].["value"])
        same "truth" (num p.["Truth"]) (num row.[3])
        Chromium.assertHas "Pulls against the truth" dom "the pull histogram")

/// The four generic study pages with a user's name in every place a name goes, in one document.
let private evilPages () =
    let uniform : Amplification.Sampler = fun n seed -> let r = Random(seed) in Array.init n (fun _ -> r.NextDouble())
    let amplification =
        Amplification.run { Amplification.defaultConfig with SampleSizes = [ 100; 200 ]; QuantileCounts = [ 4 ]; Seeds = 2 }
            (Amplification.InverseCdf id) [ evil, uniform ] (uniform 100 1)
        |> Amplification.page ("amplification of " + evil) [ "source " + evil ]
    let tails =
        let d = LogNormalPair.Sample(200, 3, LogNormalPairOptions.Default)
        let q : Tails.Quantity = { Name = evil; Compute = Array.average; Truth = 2.0 * exp 0.5 }
        let config = { Tails.defaultConfig with TrainingEvents = 200; TargetEvents = 2_000; Replicas = 4; Permutations = 2; ParametricEvents = 500 }
        Tails.run config [ q, None ] (d.Column "x1") (d.Column "x2") |> Tails.page "tails" []
    let holdout =
        let rng = Random(5)
        let rows n = Array.init n (fun _ -> [| rng.NextDouble() |])
        let mean = Holdout.statistic evil (BootstrapOptions(20, 1)) (fun r w -> WeightedDescriptive.Mean(r |> Array.map (fun x -> x.[0]), w))
        Holdout.run (fun _ -> rows 300) [ evil ] [ mean ] (rows 300) |> Holdout.page "holdout" []
    let propagation =
        let m i v : Propagation.Member = { Index = i; Seed = i; Result = { Value = v; Uncertainty = 0.1 } }
        Propagation.summarize (Some 1.0) [ m 0 0.9; m 1 1.0; m 2 1.2 ] |> PropagationReport.page "propagation" [] evil
    { amplification with
        Sections = amplification.Sections @ tails.Sections @ holdout.Sections @ propagation.Sections
        Numbers = JsonObject(dict [ "amplification", amplification.Numbers.["amplification"].DeepClone() ]) }

[<Test>]
let ``names from user data are escaped on the study pages and run no script`` () =
    let report = evilPages ()
    Assert.That(report.Sections.Length, Is.EqualTo 4)
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
        Assert.That(text json.["numbers"].["amplification"].["Factors"].[0].["Source"], Is.EqualTo evil, "JSON keeps the name as it is")
    finally
        dir.Delete(true)
