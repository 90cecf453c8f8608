// The main validation job: `scripts/validate.sh` (or `dotnet fsi validation/validate.fsx` after a
// Release build). End to end on a seeded toy with known truth:
//   calibration sample (D*-tagged K/π probes + combinatorial background)
//   → per-species sPlot fit on D0_M → Cramér GANs for kaons and pions trained on the sWeighted data
//   → responses generated at the conditions of an independent, truth-labelled sample
//   → metric suite and PID figures of merit vs truth and vs the sWeighted data
//   → a small amplification study and a small systematics-propagation ensemble → out/report.html, out/report.json, console summary.
// Default: ≤ 10 minutes on 2 cores. `--full` (or GENSTATS_FULL=1): more events, steps and features.
#load "GenStats.fsx"

open System
open System.Diagnostics
open System.IO
open System.Text.Json.Nodes
open GenStats.Data
open GenStats.Models
open GenStats.Physics
open GenStats.Comparison
open GenStats.Stats
open GenStats.Validation
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report
open GenStats.Validation.Report.Document

let full =
    fsi.CommandLineArgs |> Array.contains "--full"
    || Environment.GetEnvironmentVariable "GENSTATS_FULL" = "1"

type Settings =
    {
        CalibrationEvents: int
        TruthEvents: int
        Features: string[]
        GanSteps: int
        GanLayers: int[]
        BatchSize: int
        CriticSteps: int
        RegressorSteps: int
        RegressorLayers: int[]
        EnsembleMembers: int
        EnsembleSteps: int
        MultiDimEvents: int
        /// Steps of the conditional spline flows (0 = their automatic budget).
        FlowSteps: int
        /// Steps of the flow-matching models (0 = their automatic budget).
        CfmSteps: int
    }

let defaults =
    if full then
        {
            CalibrationEvents = 400_000
            TruthEvents = 200_000
            Features = RichColumns.Features
            GanSteps = 15_000
            GanLayers = [| 128; 128; 128 |]
            BatchSize = 256
            CriticSteps = 3
            RegressorSteps = 12_000
            RegressorLayers = [| 128; 128; 128 |]
            EnsembleMembers = 5
            EnsembleSteps = 15_000
            MultiDimEvents = 10_000
            FlowSteps = 0
            CfmSteps = 0
        }
    else
        {
            CalibrationEvents = 120_000
            TruthEvents = 60_000
            Features = [| RichColumns.DllK; RichColumns.DllP |]
            GanSteps = 15_000
            GanLayers = [| 64; 64; 64 |]
            BatchSize = 256
            CriticSteps = 3
            RegressorSteps = 8000
            RegressorLayers = [| 128; 128; 128 |]
            EnsembleMembers = 3
            EnsembleSteps = 15_000
            MultiDimEvents = 3000
            FlowSteps = 0
            // the automatic budget (≥ 20 000 steps of 1 024 events) would double the job's time
            CfmSteps = 8000
        }

// GENSTATS_GAN_STEPS overrides the training steps of the main GANs, of the ensemble members and of
// the likelihood models (flow, cfm): a smoke run.
// Members are trained exactly like the main kaon GAN (only the replica and the seed differ), so
// their spread is the systematic of the model the report validates, not of a cheaper one.
let settings =
    match Environment.GetEnvironmentVariable "GENSTATS_GAN_STEPS" with
    | null
    | "" -> defaults
    | s ->
        { defaults with
            GanSteps = int s
            EnsembleSteps = int s
            FlowSteps = int s
            CfmSteps = int s
        }

let seed = 20261124
let clock = Stopwatch.StartNew()

let progress fmt =
    Printf.kprintf (fun s -> printfn "[%6.1f s] %s" clock.Elapsed.TotalSeconds s) fmt

let numbers = JsonObject()

let jnum (x: float) =
    if Double.IsFinite x then
        JsonValue.Create x :> JsonNode
    else
        null

let measurementJson (m: Measurement) =
    JsonObject(dict [ "value", jnum m.Value; "uncertainty", jnum m.Uncertainty ]) :> JsonNode

progress
    "GenStats validate (%s): seed %d, %d calibration and %d truth tracks, features %s"
    (if full then "full" else "default")
    seed
    settings.CalibrationEvents
    settings.TruthEvents
    (String.Join(", ", settings.Features))

// ---------- 1. Calibration sample and per-species sPlot ----------
let calibration = Physics.calibrationSample seed settings.CalibrationEvents
progress "calibration sample: %d probes (40 %% signal D⁰ → Kπ, 60 %% combinatorial)" calibration.Count

// The D* tag tells which daughter a probe is: signal probes carry their true role (K or π);
// a combinatorial probe is paired with a random role (seeded), as it falls under either
// hypothesis in a real calibration file. truth_species is used for nothing else.
let kaonPdg, pionPdg = 321.0, 211.0

let role =
    let rng = Random(seed + 1)
    let species = calibration.Column RichColumns.TruthSpecies
    let signal = calibration.Column CalibrationSample.TruthSignal

    Array.init calibration.Count (fun i ->
        if signal.[i] = 1.0 then species.[i]
        elif rng.NextDouble() < 0.5 then kaonPdg
        else pionPdg)

let massModel =
    Splot.model (1825.0, 1910.0) (Splot.Gauss(1864.84, 7.0)) (Splot.Exponential -0.01)

/// The probes of one role with signal sWeights from their own extended ML fit of D0_M.
let sweighted (name: string) (pdg: float) =
    let rows =
        [|
            for i in 0 .. role.Length - 1 do
                if role.[i] = pdg then
                    i
        |]

    let data = calibration.Select rows
    let mass = data.Column CalibrationSample.MassColumn
    let fit = Splot.fit massModel mass

    if fit.Status = FitStatus.Failed then
        failwithf "the %s mass fit failed: %s" name fit.Message

    let w = Splot.signalWeights fit mass
    let ns, nb = fit.Yield "signal", fit.Yield "background"

    progress
        "sPlot %s: N_sig = %.0f ± %.0f, N_bkg = %.0f ± %.0f (%A), Σ sW = %.1f, %d negative sWeights"
        name
        ns.Value
        ns.Error
        nb.Value
        nb.Error
        fit.Status
        (Array.sum w)
        (w |> Array.filter (fun x -> x < 0.0) |> Array.length)

    numbers[sprintf "splot_%s" name] <-
        JsonObject(
            dict
                [
                    "signal_yield", jnum ns.Value
                    "signal_yield_error", jnum ns.Error
                    "background_yield", jnum nb.Value
                    "true_signal", jnum (data.Column CalibrationSample.TruthSignal |> Array.sum)
                ]
        )

    data.WithColumn(RichColumns.Weight, w), fit

let kaonCalib, kaonFit = sweighted "kaons" kaonPdg
let pionCalib, pionFit = sweighted "pions" pionPdg

// ---------- 2. Independent truth sample (pure K and π, calibration-signal kinematics) ----------
// Pure K and π (fractions e, μ, π, K, p) with the kinematics of the calibration signal.
let kPiFractions = [| 0.0; 0.0; 0.5; 0.5; 0.0 |]

let truth =
    Physics.richSampleWith kPiFractions Physics.calibrationSignalSpectrum (seed + 2) settings.TruthEvents

let truthOf (pdg: float) =
    let s = truth.Column RichColumns.TruthSpecies

    truth.Select
        [|
            for i in 0 .. truth.Count - 1 do
                if s.[i] = pdg then
                    i
        |]

let kaonTruth, pionTruth = truthOf kaonPdg, truthOf pionPdg
progress "truth sample: %d kaons, %d pions (independent seed)" kaonTruth.Count pionTruth.Count

// ---------- 3. Cramér GANs on sWeighted data ----------
// Conditions: ln p (the momentum spans two decades; the network sees it standardised), η, nTracks.
let conditionRows (d: Dataset) =
    let p, eta, nt =
        d.Column RichColumns.P, d.Column RichColumns.Eta, d.Column RichColumns.NTracks

    Array.init d.Count (fun i -> [| log p.[i]; eta.[i]; nt.[i] |])

// Negative sWeights: `Regress` replaces each sWeight by a non-negative network estimate of
// E[sW | x, y] fitted before the GAN. Weighted expectations stay unbiased (E[r·g] = E[sW·g]) and
// the Cramér loss stays bounded, unlike raw signed weights; clipping would keep background.
// The regressor must resolve where background sits in (DLL, p): a 2 × 64 net left background
// pions in the kaon sample (pion mis-ID tails 4–6 σ off the truth), 3 × 128 does not. The GAN
// gets 15 000 steps: at 5 000 its quantile χ̂² vs truth was 3–4 times larger.
let ganSettings (steps: int) (s: int) : Gan.Settings =
    { Gan.defaults with
        Loss = GanLoss.Cramer
        Steps = steps
        Seed = uint64 s
        BatchSize = settings.BatchSize
        CriticSteps = settings.CriticSteps
        GeneratorLayers = settings.GanLayers
        CriticLayers = settings.GanLayers
        LatentSize = 16
        CriticOutputSize = 32
        Optimizer = OptimizerKind.Adam
        GeneratorLearningRate = 1e-3f
        CriticLearningRate = 1e-3f
        LrSchedule = LrScheduleKind.Cosine
        LrMinimum = 1e-4f
        NegativeWeights = NegativeWeightStrategy.Regress
        // the study in docs/validate.md chose asinh(DLL/10) then standardisation for the DLL tails
        // (quantile-normal compresses the tails the loose cuts probe), so it stays pinned here
        FeatureTransform = GenStats.Data.TransformKind.Standard
        WeightRegressorSteps = settings.RegressorSteps
        WeightRegressorLayers = settings.RegressorLayers
        HeldOutFraction = 0.1
        MaxHeldOut = 2000
        EvaluateEvery = max 1 (steps / 10)
    }

// DLLs span hundreds of units with the physics (the sign) near 0: the networks see
// asinh(DLL / 10), which is linear within ±10 and logarithmic beyond; samples are mapped back.
let dllScale = 10.0

let toNetwork (rows: float[][]) =
    rows |> Array.map (Array.map (fun x -> Math.Asinh(x / dllScale)))

let fromNetwork (rows: float[][]) =
    rows |> Array.map (Array.map (fun u -> dllScale * Math.Sinh u))

/// The feature rows of a sample as every model sees them.
let networkFeatures (data: Dataset) =
    toNetwork (data |> Data.rows (List.ofArray settings.Features))

let trainGan (name: string) (data: Dataset) (weights: float[]) (ganSettings: Gan.Settings) =
    let t0 = clock.Elapsed.TotalSeconds

    let result =
        networkFeatures data
        |> Gan.train ganSettings (Some weights) (Some(conditionRows data))

    let last = result.History.Evaluations |> Seq.tryLast

    progress
        "GAN %s: %d steps in %.0f s, held-out energy distance %s"
        name
        result.Steps
        (clock.Elapsed.TotalSeconds - t0)
        (match last with
         | Some e -> sprintf "%.4f" e.EnergyDistance
         | None -> "n/a")

    result

let kaonGan =
    trainGan "kaons" kaonCalib (kaonCalib.Column RichColumns.Weight) (ganSettings settings.GanSteps (seed + 3))

let pionGan =
    trainGan "pions" pionCalib (pionCalib.Column RichColumns.Weight) (ganSettings settings.GanSteps (seed + 4))

/// Generated responses (network scale, one row per row of `at`) as a dataset with the truth sample's conditions.
let asGenerated (networkRows: float[][]) (at: Dataset) =
    let rows = networkRows |> fromNetwork
    let names = Array.append settings.Features RichColumns.Conditions

    let columns =
        Array.append
            (Array.init settings.Features.Length (fun j -> rows |> Array.map (fun r -> r.[j])))
            (RichColumns.Conditions |> Array.map at.Column)

    Data.create names columns
    |> Data.withRoles settings.Features RichColumns.Conditions

/// Generated responses at the conditions of a truth sample (same condition columns, no weights).
let generate (gan: GanTrainingResult) (s: int) (at: Dataset) =
    asGenerated (gan.Model |> Gan.sampleAt s (conditionRows at)) at

let kaonGen = generate kaonGan (seed + 5) kaonTruth
let pionGen = generate pionGan (seed + 6) pionTruth
progress "generated %d kaon and %d pion responses at the truth conditions" kaonGen.Count pionGen.Count

// ---------- 3b. Likelihood models on the same sWeighted data: conditional spline flow and flow matching ----------
// Same inputs as the GANs (asinh(DLL/10); ln p, η, nTracks), each model's own defaults except the
// weights and the steps. The flow's weighted NLL is unbounded below where the net sWeight is
// negative (it gains by moving density away from background-subtracted regions), so it gets the
// GANs' E[sW | x, y] regression (Regress, same regressor size): non-negative weights with the same
// expectations. Flow matching keeps the signed sWeights (Raw): the minimiser of its weighted MSE is
// the velocity of the signed-weighted density where the net weight is positive; Regress is GAN-only
// and Clip would keep background.
let flowSettings (s: int) =
    { Flow.defaults with
        Seed = uint64 s
        Steps = settings.FlowSteps
        NegativeWeights = NegativeWeightStrategy.Regress
        WeightRegressorSteps = settings.RegressorSteps
        WeightRegressorLayers = settings.RegressorLayers
    }

let cfmSettings (s: int) =
    { FlowMatching.defaults with
        Seed = uint64 s
        Steps = settings.CfmSteps
    }

/// A training on the network-scale features of a sample, and its wall-clock seconds.
let trainTimed (train: float[][] -> 'Result) (data: Dataset) =
    let t0 = clock.Elapsed.TotalSeconds
    let result = train (networkFeatures data)
    result, clock.Elapsed.TotalSeconds - t0

let trainFlow (name: string) (data: Dataset) (weights: float[]) (s: int) =
    let result, seconds =
        trainTimed (Flow.train (flowSettings s) (Some weights) (Some(conditionRows data))) data

    progress "flow %s: %d steps in %.0f s (kept step %d)" name result.Steps seconds result.SelectedStep
    result

let trainCfm (name: string) (data: Dataset) (weights: float[]) (s: int) =
    let result, seconds =
        trainTimed (FlowMatching.train (cfmSettings s) (Some weights) (Some(conditionRows data))) data

    progress "cfm %s: %d steps in %.0f s" name result.Steps seconds
    result

let kaonFlow =
    trainFlow "kaons" kaonCalib (kaonCalib.Column RichColumns.Weight) (seed + 11)

let pionFlow =
    trainFlow "pions" pionCalib (pionCalib.Column RichColumns.Weight) (seed + 12)

let kaonCfm =
    trainCfm "kaons" kaonCalib (kaonCalib.Column RichColumns.Weight) (seed + 13)

let pionCfm =
    trainCfm "pions" pionCalib (pionCalib.Column RichColumns.Weight) (seed + 14)

let kaonFlowGen =
    asGenerated (kaonFlow.Model |> Flow.sampleAt (seed + 15) (conditionRows kaonTruth)) kaonTruth

let pionFlowGen =
    asGenerated (pionFlow.Model |> Flow.sampleAt (seed + 16) (conditionRows pionTruth)) pionTruth

let kaonCfmGen =
    asGenerated (kaonCfm.Model |> FlowMatching.sampleAt (seed + 17) (conditionRows kaonTruth)) kaonTruth

let pionCfmGen =
    asGenerated (pionCfm.Model |> FlowMatching.sampleAt (seed + 18) (conditionRows pionTruth)) pionTruth

// The flow's exact likelihood: NLL per event on its sWeighted training sample (the sWeights estimate
// the signal's cross-entropy) against the independent truth sample of the same species (unweighted,
// the same signal distribution): a gap of many σ means the flow memorised its training sample.
let flowFit (flow: FlowTrainingResult) (data: Dataset) (truthData: Dataset) =
    let events (w: float[] option) (d: Dataset) : Flow.Events =
        w, Some(conditionRows d), networkFeatures d

    flow.Model
    |> Flow.overfitting (events (Some(data.Column RichColumns.Weight)) data) (events None truthData)

let kaonFlowFit, pionFlowFit =
    flowFit kaonFlow kaonCalib kaonTruth, flowFit pionFlow pionCalib pionTruth

for name, fit in [ "kaons", kaonFlowFit; "pions", pionFlowFit ] do
    progress
        "flow %s NLL per event: sWeighted training %.4f ± %.4f, independent truth %.4f ± %.4f, gap %+.4f ± %.4f"
        name
        (fst fit.Train)
        (snd fit.Train)
        (fst fit.HeldOut)
        (snd fit.HeldOut)
        fit.Gap
        fit.GapError

numbers["likelihood_flow"] <-
    JsonObject(
        dict
            [
                for name, fit in [ "kaons", kaonFlowFit; "pions", pionFlowFit ] ->
                    name,
                    JsonObject(
                        dict
                            [
                                "train_nll", jnum (fst fit.Train)
                                "train_nll_uncertainty", jnum (snd fit.Train)
                                "truth_nll", jnum (fst fit.HeldOut)
                                "truth_nll_uncertainty", jnum (snd fit.HeldOut)
                                "gap", jnum fit.Gap
                                "gap_uncertainty", jnum fit.GapError
                            ]
                    )
                    :> JsonNode
            ]
    )

// ---------- 4. Metric suite: generated vs truth, per species ----------
let unweighted (d: Dataset) =
    d.WithRoles(settings.Features, RichColumns.Conditions)

let firstRows n (d: Dataset) = d.Select [| 0 .. min n d.Count - 1 |]
let comparisonOptions = Catalog.options seed 50

let metricSuite (name: string) (truthData: Dataset) (generated: Dataset) =
    let perColumn =
        generated
        |> Catalog.compareWith comparisonOptions "ks,w1,chi2_quantiles" settings.Features (unweighted truthData)

    let joint = Array.append settings.Features [| RichColumns.P; RichColumns.Eta |]
    let n = settings.MultiDimEvents
    // k-NN and classifier metrics on standardised columns: DLLs and momenta have different units.
    let standardise (reference: Dataset) (d: Dataset) =
        let cols =
            joint
            |> Array.map (fun c ->
                let r = reference.Column c
                let m, s = Descriptive.mean None r, Descriptive.standardDeviation None r
                d.Column c |> Array.map (fun x -> (x - m) / s))

        Data.create joint cols

    let t, g = firstRows n truthData, firstRows n generated

    let multi =
        standardise t g
        |> Catalog.compareWith comparisonOptions "energy_nd,classifier_auc,precision,recall" joint (standardise t t)

    progress "metrics %s: %d per-column, %d multi-dimensional" name perColumn.Length multi.Length
    Seq.append perColumn multi |> Seq.toList

let kaonMetrics = metricSuite "kaons" kaonTruth kaonGen
let pionMetrics = metricSuite "pions" pionTruth pionGen
numbers["metrics_kaons"] <- ValidationReport.metricsJson kaonMetrics
numbers["metrics_pions"] <- ValidationReport.metricsJson pionMetrics

let likelihoodMetrics =
    [
        for name, k, p in [ "flow", kaonFlowGen, pionFlowGen; "cfm", kaonCfmGen, pionCfmGen ] ->
            name, metricSuite (name + " kaons") kaonTruth k, metricSuite (name + " pions") pionTruth p
    ]

for name, k, p in likelihoodMetrics do
    numbers[sprintf "metrics_%s_kaons" name] <- ValidationReport.metricsJson k
    numbers[sprintf "metrics_%s_pions" name] <- ValidationReport.metricsJson p

// ---------- 5. PID figures of merit ----------
let species (weights: bool) (d: Dataset) =
    Pid.speciesSample
        (if weights then Some(d.Column RichColumns.Weight) else None)
        (d.Column RichColumns.P)
        (d.Column RichColumns.Eta)
        (d.Column RichColumns.DllK)

let pEdges = [| 2_000.0; 6_000.0; 12_000.0; 25_000.0; 50_000.0; 100_000.0 |]
let etaEdges = [| 1.8; 2.8; 3.5; 5.5 |]
let realK, realPi = species true kaonCalib, species true pionCalib
let truthK, truthPi = species false kaonTruth, species false pionTruth
let genK, genPi = species false kaonGen, species false pionGen

let aucVsTruth = Pid.aucInBins pEdges etaEdges (truthK, truthPi) (genK, genPi)
let aucVsReal = Pid.aucInBins pEdges etaEdges (realK, realPi) (genK, genPi)
// A loose cut (RichDLLk > 0, in the tails of both species here) and a tight one (> 40, in the
// kaon core) probe different parts of the response.
let cut (dll: float) = dll > 0.0
let tightCut (dll: float) = dll > 40.0
let effK = Pid.efficiencyComparison pEdges cut realK genK (Some truthK)
let effPi = Pid.efficiencyComparison pEdges cut realPi genPi (Some truthPi)
let tightK = Pid.efficiencyComparison pEdges tightCut realK genK (Some truthK)
// Control: a second, independent truth sample in place of the generator. A faithful model
// looks like this: σ-deviations ≈ N(0, 1), every figure of merit passes.
let control =
    Physics.richSampleWith kPiFractions Physics.calibrationSignalSpectrum (seed + 8) settings.TruthEvents

let controlOf (pdg: float) =
    let s = control.Column RichColumns.TruthSpecies

    species
        false
        (control.Select
            [|
                for i in 0 .. control.Count - 1 do
                    if s.[i] = pdg then
                        i
            |])

let controlK, controlPi = controlOf kaonPdg, controlOf pionPdg

let controlAuc =
    Pid.aucInBins pEdges etaEdges (truthK, truthPi) (controlK, controlPi)

let controlEffK = Pid.efficiencyComparison pEdges cut truthK controlK None
let controlTightK = Pid.efficiencyComparison pEdges tightCut truthK controlK None
let controlEffPi = Pid.efficiencyComparison pEdges cut truthPi controlPi None

let summaries =
    [
        "AUC K vs π (RichDLLk), generated vs truth",
        Pid.summarizeSigmas (aucVsTruth |> List.map (fun b -> b.Comparison.Sigma))
        "AUC K vs π (RichDLLk), generated vs sWeighted data",
        Pid.summarizeSigmas (aucVsReal |> List.map (fun b -> b.Comparison.Sigma))
        "ε(RichDLLk > 0) kaons, generated vs truth",
        Pid.summarizeSigmas (effK |> List.choose (fun b -> b.VsTruth |> Option.map (fun c -> c.Sigma)))
        "ε(RichDLLk > 0) pions, generated vs truth",
        Pid.summarizeSigmas (effPi |> List.choose (fun b -> b.VsTruth |> Option.map (fun c -> c.Sigma)))
        "ε(RichDLLk > 40) kaons, generated vs truth",
        Pid.summarizeSigmas (tightK |> List.choose (fun b -> b.VsTruth |> Option.map (fun c -> c.Sigma)))
        "ε(RichDLLk > 0) kaons, generated vs sWeighted data",
        Pid.summarizeSigmas (effK |> List.map (fun b -> b.VsReal.Sigma))
        "ε(RichDLLk > 0) pions, generated vs sWeighted data",
        Pid.summarizeSigmas (effPi |> List.map (fun b -> b.VsReal.Sigma))
        "control: independent truth vs truth, AUC",
        Pid.summarizeSigmas (controlAuc |> List.map (fun b -> b.Comparison.Sigma))
        "control: independent truth vs truth, all ε",
        Pid.summarizeSigmas (controlEffK @ controlTightK @ controlEffPi |> List.map (fun b -> b.VsReal.Sigma))
    ]

progress "PID figures of merit: %d (p, η) cells, %d p bins" aucVsTruth.Length effK.Length

// The same figures of merit vs truth for every model, side by side (the GAN's are in `summaries`).
let pidVsTruth (generatedK: Dataset) (generatedPi: Dataset) =
    let gK, gPi = species false generatedK, species false generatedPi

    let vsTruth (bins: Pid.EfficiencyBin list) =
        Pid.summarizeSigmas (bins |> List.choose (fun b -> b.VsTruth |> Option.map (fun c -> c.Sigma)))

    [
        "AUC K vs π (RichDLLk)",
        Pid.summarizeSigmas (
            Pid.aucInBins pEdges etaEdges (truthK, truthPi) (gK, gPi)
            |> List.map (fun b -> b.Comparison.Sigma)
        )
        "ε(RichDLLk > 0) kaons", vsTruth (Pid.efficiencyComparison pEdges cut realK gK (Some truthK))
        "ε(RichDLLk > 0) pions", vsTruth (Pid.efficiencyComparison pEdges cut realPi gPi (Some truthPi))
        "ε(RichDLLk > 40) kaons", vsTruth (Pid.efficiencyComparison pEdges tightCut realK gK (Some truthK))
    ]

let modelComparison =
    [
        "Cramér GAN", pidVsTruth kaonGen pionGen
        "spline flow", pidVsTruth kaonFlowGen pionFlowGen
        "flow matching", pidVsTruth kaonCfmGen pionCfmGen
    ]

for model, rows in modelComparison do
    for name, summary in rows do
        progress "%s, %s vs truth: RMS σ %.2f, max |σ| %.2f" model name summary.Rms summary.MaxAbs

numbers["pid_models_vs_truth"] <-
    JsonObject(
        dict
            [
                for model, rows in modelComparison ->
                    model,
                    JsonObject(
                        dict
                            [
                                for name, summary in rows ->
                                    name,
                                    JsonObject(
                                        dict
                                            [
                                                "bins", JsonValue.Create summary.Count :> JsonNode
                                                "rms_sigma", jnum summary.Rms
                                                "max_abs_sigma", jnum summary.MaxAbs
                                            ]
                                    )
                                    :> JsonNode
                            ]
                    )
                    :> JsonNode
            ]
    )

numbers["pid_auc_vs_truth"] <-
    JsonArray(
        [|
            for b in aucVsTruth ->
                JsonObject(
                    dict
                        [
                            "cell", JsonValue.Create(Pid.cellLabel b.Cell) :> JsonNode
                            "truth", measurementJson b.Comparison.Real
                            "generated", measurementJson b.Comparison.Generated
                            "sigma", jnum b.Comparison.Sigma
                        ]
                )
                :> JsonNode
        |]
    )

numbers["pid_auc_vs_real"] <-
    JsonArray(
        [|
            for b in aucVsReal ->
                JsonObject(
                    dict
                        [
                            "cell", JsonValue.Create(Pid.cellLabel b.Cell) :> JsonNode
                            "real", measurementJson b.Comparison.Real
                            "generated", measurementJson b.Comparison.Generated
                            "sigma", jnum b.Comparison.Sigma
                        ]
                )
                :> JsonNode
        |]
    )

let effJson (bins: Pid.EfficiencyBin list) =
    JsonArray(
        [|
            for b in bins ->
                JsonObject(
                    dict
                        [
                            "p_low", jnum b.Low
                            "p_high", jnum b.High
                            "real", measurementJson b.Real
                            "generated", measurementJson b.Generated
                            "truth", (b.Truth |> Option.map measurementJson |> Option.toObj)
                            "sigma_vs_real", jnum b.VsReal.Sigma
                            "sigma_vs_truth", (b.VsTruth |> Option.map (fun c -> jnum c.Sigma) |> Option.toObj)
                        ]
                )
                :> JsonNode
        |]
    )

numbers["pid_efficiency_kaons"] <- effJson effK
numbers["pid_efficiency_pions"] <- effJson effPi
numbers["pid_efficiency_kaons_tight"] <- effJson tightK

// ---------- 5b. FID-style distances (jetnet FPD, KPD) on DLLs and kinematics, the control as the null ----------
// FPD's smallest jetnet batch is 20 000 events: fewer events would raise its finite-sample floor.
let fidColumns =
    [| RichColumns.DllK; RichColumns.DllP; RichColumns.P; RichColumns.Eta |]

let fidOf (name: string) (pdg: float) (truthData: Dataset) (generated: Dataset) =
    let s = control.Column RichColumns.TruthSpecies

    let controlData =
        control.Select
            [|
                for i in 0 .. control.Count - 1 do
                    if s.[i] = pdg then
                        i
            |]

    let take (d: Dataset) =
        unweighted (firstRows (max settings.MultiDimEvents 20_000) d)

    let view =
        FidViews.compute
            { FidViews.defaultOptions with
                Seed = seed
            }
            fidColumns
            (take truthData)
            (take generated)
            (take controlData)

    let r = FidViews.rows view

    progress
        "FID-style %s: %s"
        name
        (String.Join(
            "; ",
            r
            |> List.map (fun m ->
                sprintf
                    "%s gen %.3g ± %.2g, control %.3g ± %.2g (%+.1f σ)"
                    m.Metric
                    m.Generated.Value
                    m.Generated.Uncertainty
                    m.Control.Value
                    m.Control.Uncertainty
                    m.Sigma)
        ))

    numbers[sprintf "fid_%s" name] <- FidViews.json view
    view

let fidK, fidPi =
    fidOf "kaons" kaonPdg kaonTruth kaonGen, fidOf "pions" pionPdg pionTruth pionGen

// ---------- 6. PR curves (multi-dimensional, standardised DLLs) ----------
let prdOf (truthData: Dataset) (generated: Dataset) =
    let t, g =
        firstRows settings.MultiDimEvents truthData, firstRows settings.MultiDimEvents generated

    let cols = settings.Features

    let stats =
        cols
        |> Array.map (fun c -> let r = t.Column c in Descriptive.mean None r, Descriptive.standardDeviation None r)

    let rows (d: Dataset) =
        d.Rows cols
        |> Array.map (Array.mapi (fun j x -> (x - fst stats.[j]) / snd stats.[j]))

    GenStats.Validation.PrecisionRecall.prdWith
        (PrecisionRecall.PrdOptions(Runs = 5, InitsPerRun = 3, Seed = seed, BootstrapReplicas = 0))
        (rows t, None)
        (rows g, None)

let prdK, prdPi = prdOf kaonTruth kaonGen, prdOf pionTruth pionGen

progress
    "PRD curves: kaons F₈ %.3f F₁/₈ %.3f; pions F₈ %.3f F₁/₈ %.3f"
    prdK.FBeta.Value
    prdK.FInverseBeta.Value
    prdPi.FBeta.Value
    prdPi.FInverseBeta.Value

numbers["prd"] <-
    JsonObject(
        dict
            [
                "kaons_f8", jnum prdK.FBeta.Value
                "kaons_f1_8", jnum prdK.FInverseBeta.Value
                "pions_f8", jnum prdPi.FBeta.Value
                "pions_f1_8", jnum prdPi.FInverseBeta.Value
            ]
    )

// ---------- 6b. Amplification (GANplifying): how many true kaons is the generated RichDLLk worth? ----------
// Quantile bins from the independent truth kaons (their own fluctuation is subtracted). The kaon GAN
// is sampled at truth-kaon conditions drawn with replacement. The "training sample" reference is the
// truth-labelled signal kaons of the calibration file: validation-only use of the truth column, to
// ask whether the GAN is worth more or fewer events than the data it learned from.
let amplification =
    let truthDll = kaonTruth.Column RichColumns.DllK
    let isSignal = kaonCalib.Column CalibrationSample.TruthSignal

    let training =
        [|
            for i in 0 .. kaonCalib.Count - 1 do
                if isSignal.[i] = 1.0 then
                    (kaonCalib.Column RichColumns.DllK).[i]
        |]

    let ganSampler: Studies.Amplification.Sampler =
        fun n s ->
            let rng = Random(s)
            let at = kaonTruth.Select(Array.init n (fun _ -> rng.Next kaonTruth.Count))
            (generate kaonGan s at).Column RichColumns.DllK

    let config =
        { Studies.Amplification.defaultConfig with
            SampleSizes = [ 1_000; 5_000; 20_000 ]
            QuantileCounts = [ 10; 20 ]
            Seeds = 3
            Seed = seed + 9
        }

    Studies.Amplification.run
        config
        (Studies.Amplification.TruthSample truthDll)
        [ "Cramér GAN", ganSampler; "KDE (Scott)", Studies.Amplification.kde training ]
        training

for f in amplification.Factors do
    progress
        "amplification %s (n_q = %d): N_eq = %.0f ± %.0f, N_eq/N_train = %.2f ± %.2f"
        f.Source
        f.Quantiles
        f.EquivalentEvents.Value
        f.EquivalentEvents.Uncertainty
        f.Amplification.Value
        f.Amplification.Uncertainty

numbers["amplification"] <-
    JsonArray(
        [|
            for f in amplification.Factors ->
                JsonObject(
                    dict
                        [
                            "source", JsonValue.Create f.Source :> JsonNode
                            "quantiles", JsonValue.Create f.Quantiles
                            "chi2_hat", measurementJson f.ChiSquare
                            "equivalent_events", measurementJson f.EquivalentEvents
                            "amplification", measurementJson f.Amplification
                        ]
                )
                :> JsonNode
        |]
    )

// ---------- 7. Systematics propagation (small ensemble on bootstrap replicas) ----------
// Final quantity: the integrated kaon efficiency of RichDLLk > 0 over the truth kaon conditions.
let truthEff = efficiency None (kaonTruth.Column RichColumns.DllK |> Array.map cut)

let ensemble =
    Propagation.run
        settings.EnsembleMembers
        (seed + 7)
        kaonCalib.Count
        (Some(kaonCalib.Column RichColumns.Weight))
        (Some truthEff.Value)
        (fun m ->
            progress "ensemble member %d (seed %d): ε = %.4f ± %.4f" m.Index m.Seed m.Result.Value m.Result.Uncertainty)
        (fun k s w ->
            let g =
                trainGan (sprintf "kaons, replica %d" k) kaonCalib w (ganSettings settings.EnsembleSteps s)

            let gen = generate g (s + 1) kaonTruth
            efficiency None (gen.Column RichColumns.DllK |> Array.map cut))

progress
    "propagation: ε = %.4f, systematic ± %.4f, mean statistical ± %.4f, truth %.4f, coverage %s"
    ensemble.Central
    ensemble.Systematic
    ensemble.MeanStatistical
    truthEff.Value
    (ensemble.Coverage |> Option.map (sprintf "%.2f") |> Option.defaultValue "n/a")

numbers["propagation"] <-
    JsonObject(
        dict
            [
                "members", JsonArray([| for m in ensemble.Members -> measurementJson m.Result |]) :> JsonNode
                "central", jnum ensemble.Central
                "systematic", jnum ensemble.Systematic
                "mean_statistical", jnum ensemble.MeanStatistical
                "truth", jnum truthEff.Value
                "truth_uncertainty", jnum truthEff.Uncertainty
                "pulls", JsonArray(ensemble.Pulls |> Array.map jnum)
                "coverage", (ensemble.Coverage |> Option.map jnum |> Option.toObj)
            ]
    )

// ---------- 8. Report ----------
let histogramSection (name: string) (truthData: Dataset) (real: Dataset) (generated: Dataset) =
    settings.Features
    |> Array.fold
        (fun sec feature ->
            let samples =
                [
                    ValidationReport.namedSample "truth" None (truthData.Column feature)
                    ValidationReport.namedSample
                        "sWeighted data"
                        (Some(real.Column RichColumns.Weight))
                        (real.Column feature)
                    ValidationReport.namedSample "generated" None (generated.Column feature)
                ]

            let edges = ValidationReport.robustEdges 50 0.005 [ samples.Head; samples.[2] ]

            sec
            // The DLLs are differences of log-likelihoods: dimensionless.
            |> withFigure (
                ValidationReport.histogramWithRatioAxis
                    (sprintf "%s, %s" feature name)
                    (sprintf "%s (Δ ln L, dimensionless)" feature)
                    edges
                    samples
            ))
        (section (sprintf "Distributions: %s" name)
         |> withParagraph "Normalised histograms (sWeighted data with √Σw² errors); lower panel: ratio to truth.")

let summaryTable =
    {
        Caption = "σ-deviations of the PID figures of merit (≈ N(0, 1) for a faithful model)"
        Headers = [ "figure of merit"; "bins"; "mean |σ|"; "RMS σ"; "max |σ|"; "verdict" ]
        Rows =
            [
                for name, s in summaries ->
                    [
                        Text name
                        Number(float s.Count)
                        Number s.MeanAbs
                        Number s.Rms
                        Deviation s.MaxAbs
                        Text(if Pid.passes 4.0 1.5 s then "pass" else "fail")
                    ]
            ]
    }

let propagationTable =
    {
        Caption = "Kaon ε(RichDLLk > 0) from an ensemble of GANs on bootstrap replicas"
        Headers = [ "member"; "seed"; "ε"; "pull vs truth" ]
        Rows =
            [
                for m in ensemble.Members ->
                    [
                        Text(string m.Index)
                        Text(string m.Seed)
                        Measured(m.Result.Value, m.Result.Uncertainty)
                        (if ensemble.Pulls.Length > m.Index then
                             Deviation ensemble.Pulls.[m.Index]
                         else
                             Text "")
                    ]
            ]
            @ [
                [
                    Text "ensemble"
                    Text ""
                    Measured(ensemble.Central, ensemble.Systematic)
                    Text "± = systematic (spread)"
                ]
                [
                    Text "truth"
                    Text ""
                    Measured(truthEff.Value, truthEff.Uncertainty)
                    Text ""
                ]
            ]
    }

let modelTable =
    {
        Caption = "σ-deviations vs truth per model: RMS σ / max |σ| (verdict as in the summary)"
        Headers = "figure of merit" :: (modelComparison |> List.map fst)
        Rows =
            [
                for i, (name, _) in List.indexed (snd modelComparison.Head) ->
                    Text name
                    :: [
                        for _, rows in modelComparison ->
                            let s = snd rows.[i]

                            Text(
                                sprintf
                                    "%.2f / %.2f (%s)"
                                    s.Rms
                                    s.MaxAbs
                                    (if Pid.passes 4.0 1.5 s then "pass" else "fail")
                            )
                    ]
            ]
    }

let likelihoodModelsSection =
    likelihoodMetrics
    |> List.fold
        (fun sec (name, k, p) ->
            sec
            |> withTable (ValidationReport.metricTable (sprintf "%s, kaons" name) k)
            |> withTable (ValidationReport.metricTable (sprintf "%s, pions" name) p))
        (section "Likelihood models beside the GAN: conditional spline flow and flow matching"
         |> withParagraph
             "The same sWeighted calibration data, inputs and truth sample as the GANs; each model's defaults except the weights: the flow's weighted NLL is unbounded below where the net sWeight is negative, so it trains on the GANs' E[sW | x, y] regression (Regress); flow matching keeps the signed sWeights (Raw: its weighted MSE is minimised by the velocity of the signed-weighted density)."
         |> withTable modelTable)
    |> withFigure (ValidationReport.trainingCurves "kaon flow" kaonFlow.History)
    |> withFigure (ValidationReport.trainingCurves "kaon cfm" kaonCfm.History)

let elapsed = clock.Elapsed.TotalSeconds

numbers["settings"] <-
    JsonObject(
        dict
            [
                "full", JsonValue.Create full :> JsonNode
                "seed", JsonValue.Create seed
                "calibration_events", JsonValue.Create settings.CalibrationEvents
                "truth_events", JsonValue.Create settings.TruthEvents
                "gan_steps", JsonValue.Create settings.GanSteps
                "features", JsonArray(settings.Features |> Array.map (fun f -> JsonValue.Create f :> JsonNode))
                "seconds", jnum elapsed
            ]
    )

let report =
    {
        Title =
            "GenStats validation: RICH PID surrogate (Cramér GAN, spline flow and flow matching on sWeighted calibration data)"
        Summary =
            [
                sprintf
                    "Seed %d; %s settings; %d calibration probes, %d truth tracks; features %s; conditions ln Brunel_P, Brunel_ETA, nTracks_Brunel."
                    seed
                    (if full then "full" else "default")
                    settings.CalibrationEvents
                    settings.TruthEvents
                    (String.Join(", ", settings.Features))
                "Real = sWeighted calibration probes (per-species sPlot fit of D0_M); truth = an independent pure K/π sample with the calibration-signal kinematics; generated = the GANs at the truth sample's conditions."
                sprintf
                    "Negative sWeights: regressed to E[sW | x, y] ≥ 0 before training (NegativeWeightStrategy.Regress). Run time %.0f s."
                    elapsed
            ]
        Sections =
            [
                section "Summary of the PID figures of merit"
                |> withParagraph (Pid.passCriterion 4.0 1.5)
                |> withTable summaryTable
                section "ROC AUC of K vs π on RichDLLk in (p, η) cells"
                |> withParagraph
                    "σ = (AUC_gen − AUC_ref) / √(σ²_ref + σ²_gen), DeLong uncertainties (signed sWeights allowed)."
                |> withTable (Pid.aucTable "generated vs truth" aucVsTruth)
                |> withTable (Pid.aucTable "generated vs sWeighted data" aucVsReal)
                |> withFigure (Pid.aucFigure "AUC vs p: truth (markers) and generated" aucVsTruth)
                section "Efficiency of RichDLLk > 0 vs p"
                |> withTable (Pid.efficiencyTable "kaons (identification efficiency)" effK)
                |> withTable (Pid.efficiencyTable "pions (misidentification rate)" effPi)
                |> withFigure (Pid.efficiencyFigure "kaons: ε(RichDLLk > 0)" effK)
                |> withFigure (Pid.efficiencyFigure "pions: ε(RichDLLk > 0)" effPi)
                section "Efficiency of RichDLLk > 40 vs p (kaon core)"
                |> withTable (Pid.efficiencyTable "kaons" tightK)
                |> withFigure (Pid.efficiencyFigure "kaons: ε(RichDLLk > 40)" tightK)
                histogramSection "kaons" kaonTruth kaonCalib kaonGen
                histogramSection "pions" pionTruth pionCalib pionGen
                section "Metric suite: generated vs truth"
                |> withParagraph
                    "Per column: KS, W1, χ² on 20 quantile bins; multi-dimensional (DLLs, p, η standardised to the truth sample): energy distance, classifier AUC, prdc precision/recall."
                |> withTable (ValidationReport.metricTable "kaons" kaonMetrics)
                |> withTable (ValidationReport.metricTable "pions" pionMetrics)
                FidViews.section "FID-style distances (FPD, KPD)" [ "kaons", fidK; "pions", fidPi ]
                section "Precision and recall (PRD curves, standardised DLLs)"
                |> withFigure (ValidationReport.prdFigure "PRD: generated vs truth" [ "kaons", prdK; "pions", prdPi ])
                section "Training"
                |> withFigure (ValidationReport.trainingCurves "kaon GAN" kaonGan.History)
                |> withFigure (ValidationReport.trainingCurves "pion GAN" pionGan.History)
                likelihoodModelsSection
                Flow.likelihoodSection "kaon flow (held-out = the independent truth kaons)" kaonFlowFit None
                Flow.likelihoodSection "pion flow (held-out = the independent truth pions)" pionFlowFit None
                Studies.Amplification.toSection amplification
                Studies.PropagationReport.toSection "kaon ε(RichDLLk > 0)" ensemble
                |> withParagraph (
                    sprintf
                        "%d GANs on Poisson-bootstrap replicas of the kaon calibration sample (own seeds, %d steps each)."
                        settings.EnsembleMembers
                        settings.EnsembleSteps
                )
                |> withTable propagationTable
                Provenance.section
                    [
                        "seed", string seed
                        "mode", (if full then "full (--full)" else "default")
                        "calibration events", string settings.CalibrationEvents
                        "truth events", string settings.TruthEvents
                        "features", String.Join(", ", settings.Features)
                        "GAN steps", string settings.GanSteps
                        "GAN hidden layers", String.Join(" × ", settings.GanLayers)
                        "batch size", string settings.BatchSize
                        "critic steps", string settings.CriticSteps
                        "regressor steps", string settings.RegressorSteps
                        "ensemble members × steps", sprintf "%d × %d" settings.EnsembleMembers settings.EnsembleSteps
                        "multi-dimensional metric events", string settings.MultiDimEvents
                        "flow steps",
                        (if settings.FlowSteps = 0 then
                             "automatic"
                         else
                             string settings.FlowSteps)
                        "cfm steps",
                        (if settings.CfmSteps = 0 then
                             "automatic"
                         else
                             string settings.CfmSteps)
                    ]
            ]
        Numbers = numbers
    }

Directory.CreateDirectory "out" |> ignore
Html.write (Path.Combine("out", "report.html")) report
Json.write (Path.Combine("out", "report.json")) report
printfn ""
ConsoleSummary.write Console.Out report
progress "wrote out/report.html and out/report.json"
