module GenStats.Tests.Models.HistogramSamplerTests

open Expecto
open System
open GenStats.Data
open GenStats.Models
open GenStats.Stats
open GenStats.Tests.Models.Toys
open GenStats.Tests.Expectations

let ``bins are sampled in proportion to their content, uniformly inside`` () =
    // Values 0, 0.1, 1 with 2 bins on [0, 1]: P(bin 0) = 2/3; inside bin 0 the draws are U(0, 0.5).
    let h =
        HistogramSampler.Fit(dataset [| 0.0; 0.1; 1.0 |] None None, HistogramOptions(Bins = 2))

    let m = 30000
    let g = h.Sample(m, 1) |> Array.map (fun r -> r.[0])
    let low = g |> Array.filter (fun x -> x < 0.5)
    assertWithin 5.0 (sqrt (2.0 / 9.0 / float m)) (2.0 / 3.0) (float low.Length / float m) "P(bin 0)"
    assertWithin 5.0 (sqrt (1.0 / 48.0 / float low.Length)) 0.25 (mean low) "mean inside bin 0"
    Expect.isTrue (g |> Array.forall (fun x -> x >= 0.0 && x <= 1.0)) "draws stay inside the binned range"

let ``default bins follow the generalised Rice rule`` () =
    let h1 = HistogramSampler.Fit(dataset (bimodal 1 1000) None None)
    Expect.equal h1.Bins.[0] (int (ceil (2.0 * 1000.0 ** (1.0 / 3.0)))) "h1.Bins.[0]"
    let xs = bimodal 2 1000

    let two =
        Dataset.Create([| "a"; "b" |], [| xs; Array.rev xs |]).WithRoles([| "a"; "b" |])

    Expect.equal
        ((HistogramSampler.Fit two).Bins.[0])
        (int (ceil (2.0 * 1000.0 ** 0.25)))
        "(HistogramSampler.Fit two).Bins.[0]"

let ``a joint histogram keeps the correlation, marginals drop it`` () =
    // b = a + small noise: correlation ≈ 1 in the joint histogram, ≈ 0 with independent marginals.
    let g = Normal 5
    let a = Array.init 5000 (fun _ -> g.Next())
    let b = a |> Array.map (fun x -> x + 0.1 * g.Next())
    let data = Dataset.Create([| "a"; "b" |], [| a; b |]).WithRoles([| "a"; "b" |])

    let corr (rows: float[][]) =
        let x, y = column rows 0, column rows 1
        let mx, my = mean x, mean y

        (Array.map2 (fun u v -> (u - mx) * (v - my)) x y |> Array.sum)
        / sqrt (
            (x |> Array.sumBy (fun u -> (u - mx) ** 2.0))
            * (y |> Array.sumBy (fun v -> (v - my) ** 2.0))
        )

    let joint = HistogramSampler.Fit(data, HistogramOptions(Bins = 40)).Sample(20000, 1)

    let marginal =
        HistogramSampler.Fit(data, HistogramOptions(Bins = 40, Mode = HistogramMode.Marginals)).Sample(20000, 1)

    Expect.isGreaterThan (corr joint) 0.95 "corr joint"
    assertWithin 5.0 (1.0 / sqrt 20000.0) 0.0 (corr marginal) "correlation with independent marginals"

/// sPlot weights with known shapes and yields: signal m ~ N(0, 0.5²), background m ~ U(−3, 3).
let private sWeights (ms: float[]) (ns: float) (nb: float) =
    let fs m =
        exp (-0.5 * (m / 0.5) ** 2.0) / (0.5 * sqrt (2.0 * Math.PI))

    let fb m = if abs m <= 3.0 then 1.0 / 6.0 else 0.0
    let den m = ns * fs m + nb * fb m
    // M_ij = Σ f_i f_j / den², V = M⁻¹ (2×2), sW = (V_ss f_s + V_sb f_b)/den.
    let mss = ms |> Array.sumBy (fun m -> fs m * fs m / den m ** 2.0)
    let msb = ms |> Array.sumBy (fun m -> fs m * fb m / den m ** 2.0)
    let mbb = ms |> Array.sumBy (fun m -> fb m * fb m / den m ** 2.0)
    let det = mss * mbb - msb * msb
    let vss, vsb = mbb / det, -msb / det
    ms |> Array.map (fun m -> (vss * fs m + vsb * fb m) / den m)

let ``trained with sWeights, the histogram reproduces the pure signal`` () =
    // Signal x ~ N(0, 1), background x ~ N(3, 1.5²), 4000 of each; the discriminating variable m
    // separates them. Unweighted, the mixture has mean 1.5; with sWeights the sampler must give
    // the signal's mean 0 and sd 1, within the sWeighted estimator's (sandwich) uncertainty.
    let g = Normal 13
    let ns, nb = 4000, 4000

    let xs =
        Array.append (Array.init ns (fun _ -> g.Next())) (Array.init nb (fun _ -> 3.0 + 1.5 * g.Next()))

    let ms =
        Array.append (Array.init ns (fun _ -> 0.5 * g.Next())) (Array.init nb (fun _ -> -3.0 + 6.0 * g.Uniform()))

    let sw = sWeights ms (float ns) (float nb)
    Expect.isTrue (sw |> Array.exists (fun w -> w < 0.0)) "the toy has negative sWeights"
    let h = HistogramSampler.Fit(dataset xs None (Some sw))
    let m = 40000
    let out = h.Sample(m, 2) |> Array.map (fun r -> r.[0])
    let seMean = WeightedDescriptive.StandardErrorOfMean(xs, sw)
    assertWithin 5.0 (sqrt (seMean ** 2.0 + 1.0 / float m)) 0.0 (mean out) "signal mean"
    // Uniform-in-bin sampling adds width²/12 to the variance; the clipped negative bins are reported.
    let width = (h.Upper.[0] - h.Lower.[0]) / float h.Bins.[0]

    let seSecond =
        WeightedDescriptive.StandardErrorOfMean(xs |> Array.map (fun x -> x * x), sw)

    assertWithin
        5.0
        (sqrt ((seSecond / 2.0) ** 2.0 + 0.5 / float m))
        (sqrt (1.0 + width * width / 12.0))
        (sqrt (variance out))
        "signal sd"

    Expect.isLessThanOrEqual h.ClippedWeight 0.0 "h.ClippedWeight"

    let unweighted =
        HistogramSampler.Fit(dataset xs None None).Sample(m, 2)
        |> Array.map (fun r -> r.[0])

    Expect.isGreaterThan (mean unweighted) 1.0 "without sWeights the background shifts the mean"

let ``negative bins are clipped and the removed weight is reported, also after a file round trip`` () =
    // By hand: 2 bins on [0, 1]; bin 0 holds x = 0 and 0.1 with weights 1 − 3 = −2 (clipped to 0),
    // bin 1 holds 0.6, 0.9, 1.0 with 2 + 1 − 0.5 = 2.5. So one clipped bin, −2 of weight removed,
    // and every draw lies in bin 1.
    let xs, ws = [| 0.0; 0.1; 0.6; 0.9; 1.0 |], [| 1.0; -3.0; 2.0; 1.0; -0.5 |]

    for mode in [ HistogramMode.Joint; HistogramMode.Marginals ] do
        let h =
            HistogramSampler.Fit(dataset xs None (Some ws), HistogramOptions(Bins = 2, Mode = mode))

        Expect.equal h.ClippedBins 1 (sprintf "%A: ClippedBins" mode)
        Expect.floatClose Accuracy.veryHigh h.ClippedWeight (-2.0) (sprintf "%A: ClippedWeight" mode)

        Expect.isTrue
            (h.Sample(2000, 3) |> Array.forall (fun r -> r.[0] >= 0.5 && r.[0] <= 1.0))
            (sprintf "%A: draws only from bin 1" mode)

        let back = HistogramSampler.FromModelFile(h.ToModelFile())

        Expect.equal
            (back.ClippedBins, back.ClippedWeight)
            (h.ClippedBins, h.ClippedWeight)
            (sprintf "%A: clipping survives the model file" mode)
    // Non-negative bin sums: nothing is clipped.
    let clean =
        HistogramSampler.Fit(dataset xs None (Some [| 1.0; 1.0; 2.0; -1.0; 0.5 |]), HistogramOptions(Bins = 2))

    Expect.equal (clean.ClippedBins, clean.ClippedWeight) (0, 0.0) "nothing clipped"

let ``conditions are refused with a pointer to the conditional models`` () =
    let ex =
        raises<ArgumentException> "HistogramSampler.Fit(dataset [| 1.0; 2.0 |] (Some [| 0.0; 1.0 |]) N..." (fun () ->
            HistogramSampler.Fit(dataset [| 1.0; 2.0 |] (Some [| 0.0; 1.0 |]) None)
            |> ignore)

    contains "kde or library" ex.Message "ex.Message"

[<Tests>]
let tests =
    testList
        "Models.HistogramSampler"
        [
            testCase
                "bins are sampled in proportion to their content, uniformly inside"
                ``bins are sampled in proportion to their content, uniformly inside``
            testCase "default bins follow the generalised Rice rule" ``default bins follow the generalised Rice rule``
            testCase
                "a joint histogram keeps the correlation, marginals drop it"
                ``a joint histogram keeps the correlation, marginals drop it``
            testCase
                "trained with sWeights, the histogram reproduces the pure signal"
                ``trained with sWeights, the histogram reproduces the pure signal``
            testCase
                "negative bins are clipped and the removed weight is reported, also after a file round trip"
                ``negative bins are clipped and the removed weight is reported, also after a file round trip``
            testCase
                "conditions are refused with a pointer to the conditional models"
                ``conditions are refused with a pointer to the conditional models``
        ]
