/// The GAN losses, penalties and distribution distances against hand computations in float64.
module GenStats.Tests.Models.GanLossTests

open Expecto
open GenStats.Tensors
open GenStats.Models
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Expectations

let private t (xs: float[]) =
    Tensor.FromArray(xs |> Array.map float32, xs.Length)

let private m (rows: float[][]) =
    Tensor.FromArray(rows |> Array.concat |> Array.map float32, rows.Length, rows[0].Length)

let private v (x: Tensor) = float (x.ToScalar())
let private tol = { Absolute = 1e-5; Relative = 1e-5 }
let private softplus x = log (1.0 + exp x)

let private wmean (vals: float[]) (w: float[]) =
    Array.fold2 (fun s a b -> s + a * b) 0.0 vals w / Array.sum w

let private dr = [| 0.3; -1.2; 2.0; 0.5 |]
let private dg = [| -0.7; 0.1; 1.5; -2.2 |]
let private wr = [| 1.0; -0.4; 2.0; 0.9 |] // signed, Σ = 3.5
let private wg = [| 0.5; 1.0; 1.0; 1.5 |]

let ``weighted mean is Σwv over Σw with signed weights`` () =
    assertClose tol (wmean dr wr) (v (GanLosses.WeightedMean(t dr, t wr))) "weighted mean"

let ``weighted mean rejects weights with a non-positive sum`` () =
    raises<System.ArgumentException> "GanLosses.WeightedMean(t dr, t [| 1.0; -1.0; 0.5; -0.5 |]) |> ignore" (fun () ->
        GanLosses.WeightedMean(t dr, t [| 1.0; -1.0; 0.5; -0.5 |]) |> ignore)
    |> ignore

let ``BCE, non-saturating, least-squares and Wasserstein losses match their formulas`` () =
    let bceCritic =
        wmean (dr |> Array.map (fun d -> softplus -d)) wr
        + wmean (dg |> Array.map softplus) wg

    for loss in [ GanLoss.Minimax; GanLoss.NonSaturating ] do
        assertClose tol bceCritic (v (GanLosses.CriticLoss(loss, t dr, t dg, t wr, t wg))) (sprintf "%A critic" loss)
    // minimax: E log(1 − σ(d)) = −E softplus(d); non-saturating: −E log σ(d) = E softplus(−d)
    assertClose
        tol
        (wmean (dg |> Array.map (fun d -> log (1.0 - 1.0 / (1.0 + exp -d)))) wg)
        (v (GanLosses.GeneratorLoss(GanLoss.Minimax, t dg, t wg)))
        "minimax gen"

    assertClose
        tol
        (wmean (dg |> Array.map (fun d -> -log(1.0 / (1.0 + exp -d)))) wg)
        (v (GanLosses.GeneratorLoss(GanLoss.NonSaturating, t dg, t wg)))
        "ns gen"

    let lsCritic =
        0.5 * wmean (dr |> Array.map (fun d -> (d - 1.0) ** 2.0)) wr
        + 0.5 * wmean (dg |> Array.map (fun d -> d * d)) wg

    assertClose tol lsCritic (v (GanLosses.CriticLoss(GanLoss.LeastSquares, t dr, t dg, t wr, t wg))) "ls critic"

    assertClose
        tol
        (0.5 * wmean (dg |> Array.map (fun d -> (d - 1.0) ** 2.0)) wg)
        (v (GanLosses.GeneratorLoss(GanLoss.LeastSquares, t dg, t wg)))
        "ls gen"

    for loss in [ GanLoss.Wgan; GanLoss.WganGp ] do
        assertClose tol (wmean dg wg - wmean dr wr) (v (GanLosses.CriticLoss(loss, t dr, t dg, t wr, t wg))) "w critic"
        assertClose tol (-(wmean dg wg)) (v (GanLosses.GeneratorLoss(loss, t dg, t wg))) "w gen"

let private norm (a: float[]) =
    sqrt (a |> Array.sumBy (fun x -> x * x))

let private sub (a: float[]) (b: float[]) = Array.map2 (-) a b

let ``Cramér surrogate and objective match h(x) = ‖f(x) − f(x'g)‖ − ‖f(x)‖`` () =
    let fr = [| [| 1.0; 2.0 |]; [| -1.0; 0.5 |]; [| 0.0; 0.0 |] |]
    let fg = [| [| 0.5; -1.0 |]; [| 2.0; 2.0 |]; [| -0.3; 0.1 |] |]
    let fg2 = [| [| 0.0; 1.0 |]; [| 1.0; -1.0 |]; [| 0.2; 0.2 |] |]

    let h (f: float[][]) =
        Array.map2 (fun a b -> norm (sub a b) - norm a) f fg2

    let hs = GanLosses.CramerSurrogate(m fr, m fg2).ToArray() |> Array.map float
    Array.iteri (fun i e -> assertClose tol e hs[i] (sprintf "h[%d]" i)) (h fr)
    let w1, w2 = [| 1.0; 2.0; -0.5 |], [| 1.0; 1.0; 1.0 |]

    assertClose
        tol
        (wmean (h fr) w1 - wmean (h fg) w2)
        (v (GanLosses.CramerObjective(m fr, m fg, m fg2, t w1, t w2)))
        "objective"

let ``gradient penalties are (‖g‖ − 1)² and max(0, ‖g‖ − 1)², weighted or not`` () =
    let g = [| [| 3.0; 4.0 |]; [| 0.3; 0.4 |]; [| 0.0; 1.0 |] |] // norms 5, 0.5, 1
    let two = [| 16.0; 0.25; 0.0 |]
    let one = [| 16.0; 0.0; 0.0 |]
    assertClose tol (Array.average two) (v (GanLosses.GradientPenalty(m g, PenaltyKind.TwoSided, null))) "two-sided"
    assertClose tol (Array.average one) (v (GanLosses.GradientPenalty(m g, PenaltyKind.OneSided, null))) "one-sided"
    let w = [| 0.5; 1.0; 2.5 |]
    assertClose tol (wmean two w) (v (GanLosses.GradientPenalty(m g, PenaltyKind.TwoSided, t w))) "weighted"

let private pairMean (a: float[][]) (wa: float[]) (b: float[][]) (wb: float[]) k =
    let mutable s = 0.0

    for i in 0 .. a.Length - 1 do
        for j in 0 .. b.Length - 1 do
            s <- s + wa[i] * wb[j] * k a[i] b[j]

    s / (Array.sum wa * Array.sum wb)

let private a = [| [| 0.0; 1.0 |]; [| 1.0; -1.0 |]; [| 2.0; 0.5 |] |]

let private b =
    [| [| 0.5; 0.5 |]; [| -1.0; 2.0 |]; [| 1.5; 1.5 |]; [| 0.0; 0.0 |] |]

let private wa = [| 1.0; 2.0; -0.5 |]
let private wb = [| 1.0; 1.0; 0.5; 1.5 |]

let ``weighted MMD² with a Gaussian kernel matches the double sum`` () =
    let sigma = 1.3

    let k (p: float[]) (q: float[]) =
        exp (-(norm (sub p q) ** 2.0) / (2.0 * sigma * sigma))

    let expected =
        pairMean a wa a wa k + pairMean b wb b wb k - 2.0 * pairMean a wa b wb k

    assertClose tol expected (v (GanLosses.Mmd2(m a, t wa, m b, t wb, float32 sigma))) "mmd²"

let ``the MMD² gradient in both samples matches central differences of the float64 double sum`` () =
    let sigma = 1.3

    let mmd (a: float[][]) (b: float[][]) =
        let k (p: float[]) (q: float[]) =
            exp (-(norm (sub p q) ** 2.0) / (2.0 * sigma * sigma))

        pairMean a wa a wa k + pairMean b wb b wb k - 2.0 * pairMean a wa b wb k

    let ta = (m a).RequireGrad()
    let tb = (m b).RequireGrad()
    let value = GanLosses.Mmd2(ta, t wa, tb, t wb, float32 sigma)
    value.Backward()
    assertClose tol (mmd a b) (v value) "the value is unchanged by the gradient terms"
    // Central differences in float64 (step 1e-5: truncation ~1e-10, rounding ~1e-11); the
    // analytic gradient is accumulated in float64 and rounded to float32 (relative 1e-7).
    let h = 1e-5

    let fd (rows: float[][]) i e (f: float[][] -> float) =
        let shifted d =
            rows
            |> Array.mapi (fun r row ->
                if r = i then
                    Array.mapi (fun c x -> if c = e then x + d else x) row
                else
                    row)

        (f (shifted h) - f (shifted -h)) / (2.0 * h)

    for i in 0 .. a.Length - 1 do
        for e in 0..1 do
            assertClose
                tol
                (fd a i e (fun x -> mmd x b))
                (float (ta.Grad.ToArray()[i * 2 + e]))
                (sprintf "∂/∂a[%d,%d]" i e)

    for j in 0 .. b.Length - 1 do
        for e in 0..1 do
            assertClose
                tol
                (fd b j e (fun y -> mmd a y))
                (float (tb.Grad.ToArray()[j * 2 + e]))
                (sprintf "∂/∂b[%d,%d]" j e)

let ``weighted energy distance² matches the double sum and the Stats metric with signed weights`` () =
    let k (p: float[]) (q: float[]) = norm (sub p q)

    let expected =
        2.0 * pairMean a wa b wb k - pairMean a wa a wa k - pairMean b wb b wb k

    assertClose tol expected (v (GanLosses.EnergyDistance2(m a, t wa, m b, t wb))) "energy²"
    // the held-out evaluation of the trainers uses EnergyDistanceNd with SignedWeights
    let r =
        EnergyDistanceNd.Compute(a, wa, b, wb, EnergyDistanceNdOptions(BootstrapReplicas = 0, SignedWeights = true))

    assertClose tol expected r.SquaredDistance "radicand (signed weights)"
    assertClose tol (sqrt (max 0.0 expected)) r.Value "value (scipy convention)"

let ``the trainers' energy distance follows scipy's convention on 1-D examples`` () =
    let r (xs: float[]) = xs |> Array.map (fun x -> [| x |])

    let ed xs wx ys wy =
        EnergyDistanceNd
            .Compute(r xs, wx, r ys, wy, EnergyDistanceNdOptions(BootstrapReplicas = 0, SignedWeights = true))
            .Value
    // scipy.stats.energy_distance([0, 8], [0, 8]) = 0 and ([0], [2]) = √(2·2 − 0 − 0) = 2.
    assertClose tol 0.0 (ed [| 0.0; 8.0 |] null [| 0.0; 8.0 |] null) "identical"
    assertClose tol 2.0 (ed [| 0.0 |] null [| 2.0 |] null) "two points"
    // by hand: 2E|X−Y| = 2·(0+8+3+8+0+5)/6 = 8, E|X−X'| = 16/4 = 4, E|Y−Y'| = 2·(8+3+5)/9 = 32/9 → √(4/9)
    assertClose tol (2.0 / 3.0) (ed [| 0.0; 8.0 |] null [| 0.0; 8.0; 3.0 |] null) "hand example"
    // scipy docs: energy_distance([0, 8], [0, 8], [3, 1], [2, 2]) = 1.0 and the weighted example 0.88003340976158217
    assertClose tol 1.0 (ed [| 0.0; 8.0 |] [| 3.0; 1.0 |] [| 0.0; 8.0 |] [| 2.0; 2.0 |]) "scipy weighted 1"

    assertClose
        tol
        0.88003340976158217
        (ed [| 0.7; 7.4; 2.4; 6.8 |] [| 2.1; 4.2; 7.4; 8.0 |] [| 1.4; 8.0 |] [| 7.6; 8.8 |])
        "scipy weighted 2"

[<Tests>]
let tests =
    testList
        "Models.GanLoss"
        [
            testCase
                "weighted mean is Σwv over Σw with signed weights"
                ``weighted mean is Σwv over Σw with signed weights``
            testCase
                "weighted mean rejects weights with a non-positive sum"
                ``weighted mean rejects weights with a non-positive sum``
            testCase
                "BCE, non-saturating, least-squares and Wasserstein losses match their formulas"
                ``BCE, non-saturating, least-squares and Wasserstein losses match their formulas``
            testCase
                "Cramér surrogate and objective match h(x) = ‖f(x) − f(x'g)‖ − ‖f(x)‖"
                ``Cramér surrogate and objective match h(x) = ‖f(x) − f(x'g)‖ − ‖f(x)‖``
            testCase
                "gradient penalties are (‖g‖ − 1)² and max(0, ‖g‖ − 1)², weighted or not"
                ``gradient penalties are (‖g‖ − 1)² and max(0, ‖g‖ − 1)², weighted or not``
            // On host tensors MMD² is the one-pass kernel; on a device, a graph of backend ops.
            for name, make in GenStats.Tests.Tensors.BackendCombos.all do
                testCase (sprintf "weighted MMD² with a Gaussian kernel matches the double sum (%s)" name) (fun () ->
                    GenStats.Tests.Tensors.BackendCombos.withBackend
                        (make ())
                        ``weighted MMD² with a Gaussian kernel matches the double sum``)

                testCase
                    (sprintf
                        "the MMD² gradient in both samples matches central differences of the float64 double sum (%s)"
                        name)
                    (fun () ->
                        GenStats.Tests.Tensors.BackendCombos.withBackend
                            (make ())
                            ``the MMD² gradient in both samples matches central differences of the float64 double sum``)
            testCase
                "weighted energy distance² matches the double sum and the Stats metric with signed weights"
                ``weighted energy distance² matches the double sum and the Stats metric with signed weights``
            testCase
                "the trainers' energy distance follows scipy's convention on 1-D examples"
                ``the trainers' energy distance follows scipy's convention on 1-D examples``
        ]
