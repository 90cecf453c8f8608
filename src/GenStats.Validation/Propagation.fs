/// Systematics propagation: a surrogate's intrinsic uncertainty comes from its finite training
/// sample. Train K models on Poisson-bootstrap replicas of the training data (each with its own
/// seed), evaluate the user's final quantity with each, and read the spread as the systematic
/// uncertainty the surrogate adds — with pulls and coverage against a known truth.
///
/// Oversampled evaluations (K generated events per condition row, `Models.sampleOversampled`): the
/// K events of a row share their condition, so they are correlated and a member's statistical σ
/// must treat the condition row as the independent unit — `oversampledMean` does (cluster-robust
/// σ); the per-event σ would be too small by up to √K and make the pulls too wide. The systematic
/// spread between members needs no correction: the members are independent trainings.
module GenStats.Validation.Propagation

open GenStats.Models
open GenStats.Stats
open GenStats.Validation.FiguresOfMerit

/// The weighted mean of per-event values of an oversampled sample (one value per event, in the
/// sample's order), with the cluster-robust σ that resamples condition rows, not events
/// (`ClusteredMean`, clusters = `sample.Rows`). A fraction in a window is the mean of an indicator.
let oversampledMean (sample: OversampledSample) (values: float[]) : Measurement =
    if values.Length <> sample.Count then
        invalidArg
            (nameof values)
            (sprintf "values has %d entries for %d oversampled events." values.Length sample.Count)

    let r = ClusteredMean.Compute(values, sample.Weights, sample.Rows)

    {
        Value = r.Mean
        Uncertainty = r.StandardError
    }

/// One ensemble member: the replica index, the seed its model was trained with, and the user's
/// final quantity (with its statistical uncertainty) evaluated with that model.
type Member =
    {
        Index: int
        Seed: int
        Result: Measurement
    }

/// The ensemble's verdict on the final quantity.
type Summary =
    {
        Members: Member list
        /// Mean of the members' values.
        Central: float
        /// Standard deviation (K − 1) of the members' values: the systematic uncertainty.
        Systematic: float
        /// Uncertainty of Central from the finite ensemble: Systematic / √K.
        CentralUncertainty: float
        /// Mean statistical uncertainty of one member's evaluation.
        MeanStatistical: float
        /// The known truth (toy studies), if any.
        Truth: float option
        /// (value − truth) / √(σ²_stat + σ²_syst) per member; empty without a truth.
        Pulls: float[]
        /// Fraction of members whose ±√(σ²_stat + σ²_syst) interval covers the truth (≈ 0.68 when
        /// the uncertainties are right); None without a truth.
        Coverage: float option
    }

/// Weights of replica k: the training weights (1 when None) times Poisson(1) multipliers drawn
/// from (seed, k) — the same weights for the same (seed, k), whatever the thread schedule.
let replicaWeights (seed: int) (k: int) (weights: Weights) (events: int) =
    let m = Bootstrap.PoissonMultipliers(events, seed, k)

    match weights with
    | Some w ->
        if w.Length <> events then
            invalidArg (nameof weights) (sprintf "weights has %d entries for %d events." w.Length events)

        Array.map2 (*) m w
    | None -> m

/// The seed of member k's model training, derived from the study seed.
let memberSeed (seed: int) (k: int) =
    (seed * 1_000_003 + 7919 * (k + 1)) &&& 0x7FFFFFFF

/// Aggregates member results into the systematic band, pulls and coverage.
let summarize (truth: float option) (members: Member list) =
    let k = members.Length

    if k < 2 then
        invalidArg (nameof members) (sprintf "%d member(s); a spread needs at least two." k)

    let values = members |> List.map (fun m -> m.Result.Value) |> List.toArray
    let central = WeightedDescriptive.Mean values
    let syst = WeightedDescriptive.StandardDeviation values
    let meanStat = members |> List.averageBy (fun m -> m.Result.Uncertainty)

    let pulls =
        match truth with
        | Some t ->
            members
            |> List.map (fun m -> (m.Result.Value - t) / sqrt (m.Result.Uncertainty ** 2.0 + syst ** 2.0))
            |> List.toArray
        | None -> [||]

    {
        Members = members
        Central = central
        Systematic = syst
        CentralUncertainty = syst / sqrt (float k)
        MeanStatistical = meanStat
        Truth = truth
        Pulls = pulls
        Coverage =
            if pulls.Length = 0 then
                None
            else
                Some(float (pulls |> Array.filter (fun p -> abs p <= 1.0) |> Array.length) / float k)
    }

/// Runs the ensemble: for k = 0 … members − 1, calls trainAndEvaluate k seed_k weights_k with
/// Poisson-bootstrap replica weights of the training sample, reports each finished member
/// through onMember (progress), and summarises.
let run
    (members: int)
    (seed: int)
    (events: int)
    (weights: Weights)
    (truth: float option)
    (onMember: Member -> unit)
    (trainAndEvaluate: int -> int -> float[] -> Measurement)
    =
    if members < 2 then
        invalidArg (nameof members) (sprintf "members is %d; an ensemble needs at least two." members)

    if events < 1 then
        invalidArg (nameof events) "events must be positive."

    [
        for k in 0 .. members - 1 ->
            let s = memberSeed seed k

            let m =
                {
                    Index = k
                    Seed = s
                    Result = trainAndEvaluate k s (replicaWeights seed k weights events)
                }

            onMember m
            m
    ]
    |> summarize truth
