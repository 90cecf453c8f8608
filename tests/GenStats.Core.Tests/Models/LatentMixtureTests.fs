/// The VAE's ex-post latent density: EM recovers a known mixture, the density is normalised and
/// matches the Gaussian formula, sampling follows the mixture's closed-form moments, bad input fails.
module GenStats.Tests.Models.LatentMixtureTests

open Expecto
open System
open GenStats.Models

/// A fixed 2-D mixture: 0.3 N((−2, 0), diag(0.25, 0.25)) + 0.7 N((2, 1), [[1, 0.4], [0.4, 0.5]]).
let private known =
    LatentMixture(
        [| 0.3; 0.7 |],
        [| [| -2.0; 0.0 |]; [| 2.0; 1.0 |] |],
        [| [| 0.25; 0.0; 0.0; 0.25 |]; [| 1.0; 0.4; 0.4; 0.5 |] |]
    )

let private mean (xs: float[]) = Array.average xs

let ``EM recovers the weights and means of a known two-component mixture`` () =
    let n = 4000
    let points = known.Sample(n, 5)
    let fit = LatentMixture.Fit(points, null, null, 2, 7UL)
    // order the components by the first mean coordinate
    let order = [| 0; 1 |] |> Array.sortBy (fun k -> fit.Means[k][0])
    // σ of a fraction from 4000 draws: √(0.3·0.7/4000) = 0.0072 → 0.03 is ≈ 4σ
    let w0 = fit.Weights[order[0]]
    Expect.floatClose { absolute = 0.03; relative = 0.0 } w0 0.3 "weight of the left component"
    // σ of a mean: √(0.25/1200) = 0.014 (left), √(1/2800) = 0.019 (right) → 0.08 is ≥ 4σ
    for k, (mx, my) in Array.zip order [| (-2.0, 0.0); (2.0, 1.0) |] do
        let m = fit.Means[k]
        Expect.floatClose { absolute = 0.08; relative = 0.0 } m[0] mx $"mean x of component {k}"
        Expect.floatClose { absolute = 0.08; relative = 0.0 } m[1] my $"mean y of component {k}"
    // the right component's correlation 0.4/√(1·0.5) = 0.566; σ of r ≈ (1 − r²)/√n = 0.013
    let c = fit.Covariances[order[1]]

    Expect.floatClose
        { absolute = 0.06; relative = 0.0 }
        (c[1] / sqrt (c[0] * c[3]))
        0.566
        "correlation of the right component"

let ``the density integrates to one`` () =
    // midpoint rule on [−8, 8]², step 0.05: every component lies > 10σ inside the box
    let h = 0.05
    let grid = Array.init 320 (fun i -> -8.0 + h * (float i + 0.5))

    let total =
        grid
        |> Array.sumBy (fun x -> grid |> Array.sumBy (fun y -> exp (known.LogDensity [| x; y |])))
        |> (*) (h * h)

    Expect.floatClose { absolute = 1e-4; relative = 0.0 } total 1.0 "∫ p(z) dz"

let ``one component's log-density is the Gaussian formula`` () =
    let g =
        LatentMixture([| 1.0 |], [| [| 1.0; -1.0 |] |], [| [| 2.0; 0.5; 0.5; 1.0 |] |])
    // by hand: det = 2·1 − 0.25 = 1.75, Σ⁻¹ = [[1, −0.5], [−0.5, 2]]/1.75, d = (0.5, 0.5):
    // dᵀΣ⁻¹d = (0.25 − 0.25 + 0.5)/1.75 = 0.285714…; log p = −log 2π − ½ log 1.75 − ½·0.285714…
    let expected = -log(2.0 * Math.PI) - 0.5 * log 1.75 - 0.5 * (0.5 / 1.75)
    Expect.floatClose { absolute = 1e-12; relative = 0.0 } (g.LogDensity [| 1.5; -0.5 |]) expected "log N"

let ``samples follow the mixture's mean and covariance`` () =
    let n = 40000
    let s = known.Sample(n, 11)
    let x, y = s |> Array.map (fun r -> r[0]), s |> Array.map (fun r -> r[1])
    // closed form: μ = Σπm = (0.8, 0.7); Var x = Σπ(C + m²) − μ² = 0.3·4.25 + 0.7·5 − 0.64 = 4.135;
    // Var y = 0.3·0.25 + 0.7·1.5 − 0.49 = 0.635; Cov = 0.7·(0.4 + 2) − 0.56 = 1.12
    let mx, my = mean x, mean y
    // σ of the means: √(4.135/n) = 0.010, √(0.635/n) = 0.004
    Expect.floatClose { absolute = 0.04; relative = 0.0 } mx 0.8 "mean x"
    Expect.floatClose { absolute = 0.016; relative = 0.0 } my 0.7 "mean y"

    let cov (a: float[]) ma (b: float[]) mb =
        Array.map2 (fun u v -> (u - ma) * (v - mb)) a b |> Array.average
    // relative σ of a variance estimate ≈ √(2/n)·(kurtosis factor ≤ 2) ≈ 0.014 → 5 %
    Expect.floatClose { absolute = 0.0; relative = 0.05 } (cov x mx x mx) 4.135 "Var x"
    Expect.floatClose { absolute = 0.0; relative = 0.05 } (cov y my y my) 0.635 "Var y"
    Expect.floatClose { absolute = 0.0; relative = 0.05 } (cov x mx y my) 1.12 "Cov(x, y)"

let ``the posterior variances add to the fitted covariance`` () =
    // one component: the covariance is the (ddof 0) scatter of the centres plus the mean of diag v
    let points = [| [| 0.0; 0.0 |]; [| 2.0; 0.0 |]; [| 0.0; 2.0 |]; [| 2.0; 2.0 |] |]
    let v = Array.create 4 [| 0.5; 0.1 |]
    let fit = LatentMixture.Fit(points, v, null, 1, 1UL)
    // scatter: Var = 1 per axis, Cov = 0; plus (0.5, 0.1); the ridge is 1e-6·mean diagonal
    let c = fit.Covariances[0]
    Expect.floatClose { absolute = 1e-5; relative = 0.0 } c[0] 1.5 "C_xx"
    Expect.floatClose { absolute = 1e-5; relative = 0.0 } c[3] 1.1 "C_yy"
    Expect.floatClose { absolute = 1e-12; relative = 0.0 } c[1] 0.0 "C_xy"

let ``weights count, negative ones as zero`` () =
    // the point at 100 has a negative weight: it must not move the mean
    let points = [| [| 0.0 |]; [| 2.0 |]; [| 100.0 |] |]
    let fit = LatentMixture.Fit(points, null, [| 1.0; 3.0; -5.0 |], 1, 1UL)
    let m = fit.Means[0]
    Expect.floatClose { absolute = 1e-12; relative = 0.0 } m[0] 1.5 "weighted mean (0·1 + 2·3)/4"

let ``bad input fails clearly`` () =
    Expect.throwsT<ArgumentException> (fun () -> LatentMixture.Fit([||], null, null, 2, 1UL) |> ignore) "no points"

    Expect.throwsT<ArgumentException>
        (fun () -> LatentMixture.Fit([| [| 1.0 |] |], null, null, 0, 1UL) |> ignore)
        "K = 0"

    Expect.throwsT<ArgumentException>
        (fun () -> LatentMixture.Fit([| [| 1.0 |]; [| 1.0; 2.0 |] |], null, null, 1, 1UL) |> ignore)
        "ragged"

    Expect.throwsT<ArgumentException>
        (fun () -> LatentMixture.Fit([| [| 1.0 |] |], null, [| -1.0 |], 1, 1UL) |> ignore)
        "no positive weight"

[<Tests>]
let tests =
    testList
        "Models.LatentMixture"
        [
            testCase
                "EM recovers a known mixture"
                ``EM recovers the weights and means of a known two-component mixture``
            testCase "the density integrates to one" ``the density integrates to one``
            testCase "one component is the Gaussian formula" ``one component's log-density is the Gaussian formula``
            testCase "samples follow the closed-form moments" ``samples follow the mixture's mean and covariance``
            testCase
                "posterior variances add to the covariance"
                ``the posterior variances add to the fitted covariance``
            testCase "weights count, negative ones as zero" ``weights count, negative ones as zero``
            testCase "bad input fails clearly" ``bad input fails clearly``
        ]
