/// Physics figures of merit compared between real and generated samples, in units of their
/// combined statistical uncertainty: the number a referee reads.
module GenStats.Validation.FiguresOfMerit

open GenStats.Stats
open GenStats.Numerics

/// A value with its one-standard-deviation uncertainty.
type Measurement = { Value: float; Uncertainty: float }

/// One figure of merit on real and generated data: Sigma = (generated − real) / √(σ²_real + σ²_gen).
type Comparison =
    {
        Name: string
        Real: Measurement
        Generated: Measurement
        Difference: float
        Sigma: float
    }

/// Compares two independent measurements of the same quantity.
let compareMeasurements (name: string) (real: Measurement) (generated: Measurement) =
    let diff = generated.Value - real.Value
    let err = sqrt (real.Uncertainty ** 2.0 + generated.Uncertainty ** 2.0)

    {
        Name = name
        Real = real
        Generated = generated
        Difference = diff
        Sigma =
            if err > 0.0 then diff / err
            elif diff = 0.0 then 0.0
            else nan
    }

/// Any user statistic of a weighted sample (values, weights) with its seeded Poisson-bootstrap
/// uncertainty. The statistic is called with the sample's weights (all 1 when None) times
/// Poisson(1) multipliers, so it must accept weights.
let measure (options: BootstrapOptions) (statistic: float[] -> float[] -> float) (weights: Weights) (values: float[]) =
    let w = weights |> Option.defaultWith (fun () -> Array.create values.Length 1.0)
    let nominal = statistic values w

    let boot =
        Bootstrap.OneSample(values.Length, Option.toObj weights, (fun bw -> statistic values bw), options)

    {
        Value = nominal
        Uncertainty = boot.StandardDeviation
    }

/// A user statistic measured on real and generated samples (independent bootstraps) and compared.
let compareStatistic
    (name: string)
    (options: BootstrapOptions)
    (statistic: float[] -> float[] -> float)
    (realWeights: Weights)
    (real: float[])
    (generatedWeights: Weights)
    (generated: float[])
    =
    let r = measure options statistic realWeights real

    let g =
        measure (BootstrapOptions(options.Replicas, options.Seed + 7919)) statistic generatedWeights generated

    compareMeasurements name r g

/// Weighted efficiency ε = Σ_pass w / Σ w with the linearised uncertainty
/// σ²(ε) = [Σ_pass w²(1 − ε)² + Σ_fail w² ε²] / (Σw)², which holds for signed sWeights and
/// reduces to the binomial √(ε(1 − ε)/N) for unit weights.
let efficiency (weights: Weights) (passes: bool[]) =
    let n = passes.Length

    if n = 0 then
        invalidArg (nameof passes) "passes is empty; an efficiency needs at least one event."

    let w = weights |> Option.defaultWith (fun () -> Array.create n 1.0)

    if w.Length <> n then
        invalidArg
            (nameof weights)
            (sprintf "weights has %d entries but passes has %d; one weight per event is required." w.Length n)

    w
    |> Array.iteri (fun i x ->
        if not (System.Double.IsFinite x) then
            invalidArg (nameof weights) (sprintf "weights[%d] is %g; weights must be finite." i x))

    let mutable total = CompensatedSum()
    let mutable pass = CompensatedSum()

    for i in 0 .. n - 1 do
        total.Add w.[i]

        if passes.[i] then
            pass.Add w.[i]

    if not (total.Value > 0.0) then
        invalidArg
            (nameof weights)
            (sprintf "The weights sum to %g; an efficiency needs a positive sum of weights." total.Value)

    let eps = pass.Value / total.Value
    let mutable var = CompensatedSum()

    for i in 0 .. n - 1 do
        let d = if passes.[i] then 1.0 - eps else eps
        var.Add(w.[i] * w.[i] * d * d)

    {
        Value = eps
        Uncertainty = sqrt var.Value / total.Value
    }

/// One bin of a binned figure of merit: [Low, High) and the measurement in it.
type BinnedMeasurement =
    {
        Low: float
        High: float
        Events: int
        Measurement: Measurement
    }

/// The efficiency of a selection in bins of a variable (e.g. a DLL cut vs momentum). Events
/// outside [edges[0], edges[last]) are counted in no bin; the result says how many per bin.
let efficiencyInBins (edges: float[]) (binVariable: float[]) (weights: Weights) (passes: bool[]) =
    if edges.Length < 2 then
        invalidArg (nameof edges) "edges needs at least two values (one bin)."

    if edges |> Array.pairwise |> Array.exists (fun (a, b) -> not (a < b)) then
        invalidArg (nameof edges) "edges must be strictly increasing."

    if binVariable.Length <> passes.Length then
        invalidArg
            (nameof binVariable)
            (sprintf "binVariable has %d entries but passes has %d." binVariable.Length passes.Length)

    [
        for b in 0 .. edges.Length - 2 ->
            let inBin =
                [|
                    for i in 0 .. passes.Length - 1 do
                        if binVariable.[i] >= edges.[b] && binVariable.[i] < edges.[b + 1] then
                            i
                |]

            let m =
                if inBin.Length = 0 then
                    { Value = nan; Uncertainty = nan }
                else
                    efficiency
                        (weights |> Option.map (fun w -> inBin |> Array.map (fun i -> w.[i])))
                        (inBin |> Array.map (fun i -> passes.[i]))

            {
                Low = edges.[b]
                High = edges.[b + 1]
                Events = inBin.Length
                Measurement = m
            }
    ]
