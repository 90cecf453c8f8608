module GenStats.Tests.Data.TransformsTests

open Expecto
open System
open System.IO
open System.Text.Json
open FsCheck
open FsCheck.FSharp
open GenStats.Data
open GenStats.Models.Files
open GenStats.Tests.Tolerance
open GenStats.Tests.Generators
open GenStats.Tests.Models
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

// ---- scikit-learn reference numbers ----
// Computed offline with Debian python3-sklearn 1.2.1:
//   qt = QuantileTransformer(n_quantiles=5, output_distribution='normal')
//   qt.fit([[3],[1],[4],[1.5],[5],[9],[2],[6],[5.5]])

let private sklearnSample = [| 3.0; 1.0; 4.0; 1.5; 5.0; 9.0; 2.0; 6.0; 5.5 |]

let ``quantile transform matches scikit-learn's QuantileTransformer (normal output)`` () =
    let t = QuantileNormalTransform(5).Fit sklearnSample
    let q = t.State.Get "quantiles"
    Array.iter2 (fun e a -> assertClose veryHigh e a "quantiles_") [| 1.0; 2.0; 4.0; 5.5; 9.0 |] q
    // qt.transform([[1.0],[2.2],[4.0],[5.75],[9.0],[0.0],[10.0]])
    let expected =
        [|
            -5.199337582605575
            -0.5977601260424784
            0.0
            0.7318080838596178
            5.19933758270342
            -5.199337582605575
            5.19933758270342
        |]

    let inputs = [| 1.0; 2.2; 4.0; 5.75; 9.0; 0.0; 10.0 |]
    // scikit-learn's upper clip is Φ⁻¹(1 − (1e−7 − ε)), 1e−10 away from −Φ⁻¹(1e−7): allow 1e−9.
    Array.iter2
        (fun (e: float) x -> assertClose { Absolute = 1e-9; Relative = 1e-9 } e (t.Forward x) (sprintf "forward %g" x))
        expected
        inputs
    // qt.inverse_transform([[-6],[-1],[0],[0.3],[2],[6]])
    let inv =
        [| 1.0; 1.6346210157258283; 4.0; 4.707468533133715; 8.681498152725492; 9.0 |]

    Array.iter2
        (fun e z -> assertClose high e (t.Inverse z) (sprintf "inverse %g" z))
        inv
        [| -6.0; -1.0; 0.0; 0.3; 2.0; 6.0 |]

let ``tied quantiles map to the middle of their run as in scikit-learn`` () =
    // fit([[1],[1],[1],[2],[3]]), n_quantiles=5: quantiles [1,1,1,2,3]; transform(1.5) and (2.0).
    let t = QuantileNormalTransform(5).Fit [| 1.0; 1.0; 1.0; 2.0; 3.0 |]
    assertClose high 0.31863936396437514 (t.Forward 1.5) "forward 1.5"
    assertClose high 0.6744897501960817 (t.Forward 2.0) "forward 2.0"

let ``the number of quantiles is capped at the sample size`` () =
    let t = QuantileNormalTransform().Fit [| 3.0; 1.0; 2.0 |]
    Expect.equal ((t.State.Get "quantiles").Length) 3 "(t.State.Get \"quantiles\").Length"

// ---- Invertibility and monotonicity ----

let private sampleAndProbe =
    gen {
        let! xs = Gen.arrayOfLength 40 finiteValue
        let! ps = Gen.arrayOfLength 20 (Gen.choose (0, 1000) |> Gen.map (fun i -> float i / 1000.0))
        return xs, ps
    }

let ``quantile transform: Inverse(Forward x) = x inside the training range, and Forward is monotone`` () =
    Prop.forAll (Arb.fromGen sampleAndProbe) (fun (xs, ps) ->
        let t = QuantileNormalTransform(25).Fit xs
        let lo, hi = Array.min xs, Array.max xs
        let probes = ps |> Array.map (fun p -> lo + p * (hi - lo)) |> Array.sort
        let q = t.State.Get "quantiles"
        // Rounding plus the 1e−7 clip at both ends (see the class documentation).
        let slack =
            1e-9 * (hi - lo + 1.0)
            + 1e-7
              * float (q.Length - 1)
              * (max (q.[1] - q.[0]) (q.[q.Length - 1] - q.[q.Length - 2]))

        let roundTrip =
            probes |> Array.forall (fun x -> abs (t.Inverse(t.Forward x) - x) <= slack)

        let forward = probes |> Array.map t.Forward
        let monotone = forward |> Array.pairwise |> Array.forall (fun (u, v) -> u <= v)
        let bounded = forward |> Array.forall (fun z -> abs z <= 5.2)
        roundTrip && monotone && bounded)

let ``standardisation round-trips and gives weighted mean 0 and weighted sd 1 on its training data`` () =
    Prop.forAll (Arb.fromGen weightedSample) (fun (xs, ws) ->
        let t = StandardTransform().Fit(xs, ws)
        let z = t.Forward xs
        let back = t.Inverse z
        let spread = Array.max xs - Array.min xs

        let sdOk =
            if spread = 0.0 then
                z |> Array.forall (fun v -> v = 0.0)
            else
                isClose low 1.0 (GenStats.Stats.WeightedDescriptive.StandardDeviation(z, ws))

        Array.forall2 (fun a b -> abs (a - b) <= 1e-9 * (1.0 + abs a)) xs back
        && abs (GenStats.Stats.WeightedDescriptive.Mean(z, ws)) <= 1e-9
        && sdOk)

let ``quantile transform output is N(0,1) on its (skewed) training sample`` () =
    // Exponential training sample, n = 5000, 1000 quantiles: mean 0 ± 1/√n, sd 1 ± 1/√(2n).
    let g = Toys.Normal 11
    let n = 5000
    let xs = Array.init n (fun _ -> -log(1.0 - g.Uniform()))
    let z = QuantileNormalTransform().Fit(xs).Forward xs
    Toys.assertWithin 4.0 (1.0 / sqrt (float n)) 0.0 (Toys.mean z) "mean of z"
    Toys.assertWithin 4.0 (1.0 / sqrt (2.0 * float n)) 1.0 (sqrt (Toys.variance z)) "sd of z"

let ``a weighted quantile fit maps the weighted target to N(0,1)`` () =
    // Draws from N(0, 2²) weighted by N(x; 1, 1)/N(x; 0, 2²) stand for N(1, 1): the fitted map
    // must turn the weighted sample into N(0,1) and send the target's median (1) to 0.
    let g = Toys.Normal 12
    let n = 20000
    let xs = Array.init n (fun _ -> 2.0 * g.Next())

    let ws =
        xs
        |> Array.map (fun x -> exp (-0.5 * (x - 1.0) ** 2.0) / (0.5 * exp (-0.125 * x * x)))

    let t = QuantileNormalTransform().Fit(xs, ws)
    let z = t.Forward xs
    let ess = GenStats.Stats.WeightedDescriptive.EffectiveSampleSize ws
    Toys.assertWithin 4.0 (1.0 / sqrt ess) 0.0 (GenStats.Stats.WeightedDescriptive.Mean(z, ws)) "weighted mean of z"

    Toys.assertWithin
        4.0
        (1.0 / sqrt (2.0 * ess))
        1.0
        (GenStats.Stats.WeightedDescriptive.StandardDeviation(z, ws))
        "weighted sd of z"
    // Φ(z(1)) is the estimated CDF of the target at its median: ½ ± √(¼/ESS).
    Toys.assertWithin
        4.0
        (sqrt (0.25 / ess))
        0.5
        (MathNet.Numerics.Distributions.Normal.CDF(0.0, 1.0, t.Forward 1.0))
        "CDF at the median"

let ``log-derivative of the quantile transform equals a finite difference`` () =
    let t = QuantileNormalTransform(50).Fit(Toys.bimodal 3 400)

    for x in [ -5.0; -3.7; -0.2; 1.1; 4.4 ] do
        let h = 1e-6
        let fd = (t.Forward(x + h) - t.Forward(x - h)) / (2.0 * h)
        assertClose { Absolute = 1e-6; Relative = 1e-4 } (log fd) (t.LogDerivative x) (sprintf "log dz/dx at %g" x)

let ``transform states survive JSON exactly`` () =
    let xs = Toys.bimodal 5 300

    for t in
        [
            QuantileNormalTransform(100).Fit xs
            StandardTransform().Fit xs
            IdentityTransform().Fit xs
        ] do
        let json = JsonSerializer.Serialize(t.State, ModelJson.Options)

        let back =
            ColumnTransforms.FromState(JsonSerializer.Deserialize<ColumnTransformState>(json, ModelJson.Options))

        for x in [ -7.0; -4.2; 0.0; 0.3; 3.9; 8.0 ] do
            Expect.equal (back.Forward x) (t.Forward x) (sprintf "%s forward %g" t.Kind x)
            Expect.equal (back.Inverse(x / 2.0)) (t.Inverse(x / 2.0)) (sprintf "%s inverse %g" t.Kind x)

let ``bad input: NaN values, negative weights, unknown kinds`` () =
    let ex =
        raises<ArgumentException> "QuantileNormalTransform().Fit [| 1.0; nan; 2.0 |] |> ignore" (fun () ->
            QuantileNormalTransform().Fit [| 1.0; nan; 2.0 |] |> ignore)

    contains "values[1]" ex.Message "ex.Message"

    let ex2 =
        raises<ArgumentException> "StandardTransform().Fit([| 1.0; 2.0 |], [| 1.0; -0.5 |]) |> ignore" (fun () ->
            StandardTransform().Fit([| 1.0; 2.0 |], [| 1.0; -0.5 |]) |> ignore)

    contains "weights[1]" ex2.Message "ex2.Message"

    raises<InvalidDataException> "ColumnTransforms.FromState(ColumnTransformState(\"box-cox\", readOnly..." (fun () ->
        ColumnTransforms.FromState(ColumnTransformState("box-cox", readOnlyDict []))
        |> ignore)
    |> ignore

    raises<InvalidDataException> "ColumnTransforms.FromState(ColumnTransformState(\"quantile-normal\", ..." (fun () ->
        ColumnTransforms.FromState(
            ColumnTransformState("quantile-normal", readOnlyDict [ "quantiles", [| 2.0; 1.0 |] ])
        )
        |> ignore)
    |> ignore

// ---- Per-column kinds: log, log1p, logit, periodic (and the group kinds beside them) ----

/// Positive, skewed values spanning several decades (log-normal, σ = 2) from a seed.
let private positives seed n =
    let rnd = Random(seed: int)
    Array.init n (fun _ -> exp (2.0 * (rnd.NextDouble() - 0.5) * 4.0))

let private fitted (spec: string) (xs: float array) =
    TransformSpec.Parse(spec).Create().Fit xs

/// Raw test values inside each kind's domain, and the round-trip tolerance in float64.
let private kindsAndData seed : (string * float array * Accuracy) list =
    let rnd = Random(seed: int)
    let pos = positives seed 200

    let inside =
        Array.init 200 (fun _ -> -2.0 + 5.0 * (0.001 + 0.998 * rnd.NextDouble()))

    let any = Array.init 200 (fun _ -> 100.0 * (rnd.NextDouble() - 0.5))

    [
        // exp(μ + σ·(log x − μ)/σ) and friends: a few ulps of x.
        "log", pos, veryHigh
        "log1p", Array.map (fun x -> x - 0.999) pos, veryHigh
        // lo + (hi − lo)·sigmoid: absolute error a few ulps of hi − lo = 5.
        "logit(-2,3)", inside, { Absolute = 1e-12; Relative = 1e-9 }
        "standard", any, veryHigh
        "identity", any, veryHigh
        // Every value is one of the 200 quantile nodes (m = n); the 1e−7 clip moves only the
        // minimum and the maximum (the quantile property above bounds that), so they are left out.
        "quantile-normal", any, { Absolute = 1e-12; Relative = 1e-9 }
    ]

let ``every width-1 kind round-trips: Inverse(Forward x) = x on random data`` () =
    Prop.forAll (Arb.fromGen (Gen.choose (0, 100000))) (fun seed ->
        kindsAndData seed
        |> List.forall (fun (spec, xs, acc) ->
            let t = fitted spec xs

            let probes =
                if spec = "quantile-normal" then
                    xs |> Array.filter (fun x -> x > Array.min xs && x < Array.max xs)
                else
                    xs

            probes |> Array.forall (fun x -> isClose acc x (t.Inverse(t.Forward x)))))

let ``log, log1p and logit are followed by a weighted standardisation`` () =
    // Weighted mean 0 and weighted sd 1 on the transformed training data, whatever the raw scale.
    let rnd = Random(4)
    let xs = positives 4 500
    let ws = Array.init 500 (fun _ -> 0.5 + rnd.NextDouble())

    for spec, data in [ "log", xs; "log1p", xs; "logit(0,1e4)", xs ] do
        let z = (TransformSpec.Parse(spec).Create().Fit(data, ws)).Forward data
        assertClose veryHigh 0.0 (GenStats.Stats.WeightedDescriptive.Mean(z, ws)) (spec + " weighted mean")
        assertClose high 1.0 (GenStats.Stats.WeightedDescriptive.StandardDeviation(z, ws)) (spec + " weighted sd")

let ``log-derivative of log, log1p and logit equals a finite difference`` () =
    let xs = positives 9 300

    for spec, probes in
        [
            "log", [ 0.02; 0.7; 3.0; 40.0 ]
            "log1p", [ -0.9; 0.0; 2.5; 40.0 ]
            "logit(0,100)", [ 0.05; 1.0; 50.0; 99.9 ]
        ] do
        let t = fitted spec (Array.filter (fun x -> x < 99.0) xs)

        for x in probes do
            // Central difference with h ∝ the distance to the domain edge: truncation error O(h²).
            let h = 1e-5 * min (abs x + 1e-3) 1.0
            let fd = (t.Forward(x + h) - t.Forward(x - h)) / (2.0 * h)

            assertClose
                { Absolute = 1e-7; Relative = 1e-6 }
                (log fd)
                (t.LogDerivative x)
                (sprintf "%s: log dz/dx at %g" spec x)

let ``periodic: two model columns, the inverse is atan2 in (-pi, pi] on and off the circle`` () =
    let t = fitted "periodic" [| 0.0; 1.0 |]
    Expect.equal t.Width 2 "periodic width"
    let rnd = Random(21)

    for _ in 1..2000 do
        // Any angle, wrapped: the result differs from φ by a multiple of 2π.
        let phi = 40.0 * (rnd.NextDouble() - 0.5)
        let z = Array.zeroCreate 2
        t.ForwardInto(phi, Span z)
        let back = t.InverseFrom(ReadOnlySpan z)
        Expect.isTrue (back > -Math.PI && back <= Math.PI) (sprintf "atan2 of (cos, sin) %g in range" back)
        let turns = (phi - back) / (2.0 * Math.PI)
        assertClose { Absolute = 1e-12; Relative = 0.0 } (Math.Round turns) turns "whole turns"
        // A generated pair off the circle (any radius, any sign): still in range, same direction.
        let c, s = 3.0 * (rnd.NextDouble() - 0.5), 3.0 * (rnd.NextDouble() - 0.5)
        let a = PeriodicTransform.Angle(c, s)
        Expect.isTrue (a > -Math.PI && a <= Math.PI) (sprintf "Angle(%g, %g) = %g in range" c s a)
        let r = sqrt (c * c + s * s)
        assertClose { Absolute = 1e-12; Relative = 0.0 } c (r * cos a) "direction: c"
        assertClose { Absolute = 1e-12; Relative = 0.0 } s (r * sin a) "direction: s"
    // The seam: numpy gives arctan2(-0.0, -1) = -π; the transform returns π instead.
    Expect.equal (PeriodicTransform.Angle(-1.0, -0.0)) Math.PI "(-1, -0.0)"
    Expect.equal (PeriodicTransform.Angle(-1.0, 0.0)) Math.PI "(-1, 0)"
    Expect.equal (PeriodicTransform.Angle(-0.0, -0.0)) Math.PI "(-0.0, -0.0)"
    Expect.equal (PeriodicTransform.Angle(0.0, 0.0)) 0.0 "(0, 0)"
    Expect.equal (t.InverseFrom(ReadOnlySpan [| -2.0; -0.0 |])) Math.PI "off-circle seam"

let ``a row with a periodic column is one column wider on the model scale`` () =
    let rows = Array.init 50 (fun i -> [| float i + 1.0; float i / 10.0; float i |])

    let t =
        RowTransform.Fit(
            rows,
            [|
                TransformSpec.Parse "log"
                TransformSpec.Parse "periodic"
                TransformSpec.Parse "standard"
            |]
        )

    Expect.equal (t.Width, t.OutputWidth) (3, 4) "raw and model widths"
    Expect.equal [ for c in 0..2 -> t.OutputOffset c ] [ 0; 1; 3 ] "offsets"
    let z = t.ForwardRow [| 5.0; 0.5; 7.0 |]
    Expect.equal z.Length 4 "model row"
    assertClose veryHigh (cos 0.5) z[1] "cos φ"
    assertClose veryHigh (sin 0.5) z[2] "sin φ"
    let back = t.InverseRow(ReadOnlySpan z)
    Array.iter2 (fun e a -> assertClose veryHigh e a "row round trip") [| 5.0; 0.5; 7.0 |] back

let ``states of the new kinds survive JSON exactly`` () =
    let xs = positives 5 300

    for spec in [ "log"; "log1p"; "logit(0,5000)"; "periodic" ] do
        let t = fitted spec xs
        let json = JsonSerializer.Serialize(t.State, ModelJson.Options)

        let back =
            ColumnTransforms.FromState(JsonSerializer.Deserialize<ColumnTransformState>(json, ModelJson.Options))

        Expect.equal back.Kind t.Kind (spec + " kind")

        for x in [ 0.01; 0.3; 2.0; 60.0; 4000.0 ] do
            let a, b = Array.zeroCreate t.Width, Array.zeroCreate t.Width
            t.ForwardInto(x, Span a)
            back.ForwardInto(x, Span b)
            Expect.equal b a (sprintf "%s forward %g" spec x)

            Expect.equal
                (back.InverseFrom(ReadOnlySpan a))
                (t.InverseFrom(ReadOnlySpan a))
                (sprintf "%s inverse %g" spec x)

let ``values outside a kind's domain are refused with the column's name`` () =
    let rows = [| [| 1.0; 0.5 |]; [| 0.0; 0.2 |] |]

    let e =
        raises<ArgumentException> "log of 0" (fun () ->
            RowTransform.Fit(
                rows,
                [| TransformSpec.Parse "log"; TransformSpec.Parse "standard" |],
                null,
                [| "pt1"; "eta1" |]
            )
            |> ignore)

    contains "column 'pt1'" e.Message "names the column"
    contains "values > 0" e.Message "says what is allowed"

    let e2 =
        raises<ArgumentException> "log1p of -1" (fun () -> fitted "log1p" [| 0.0; -1.0 |] |> ignore)

    contains "values > −1" e2.Message "log1p domain"

    for bad in [ 0.0; 1.0; 1.5 ] do
        let e3 =
            raises<ArgumentException> (sprintf "logit(0,1) of %g" bad) (fun () ->
                fitted "logit(0,1)" [| 0.5; bad |] |> ignore)

        contains "strictly inside (0, 1)" e3.Message "logit domain"
    // After fitting, a bad value at Forward (e.g. a condition given to Sample) is refused too.
    raises<ArgumentException> "Forward(-3) of a log fit" (fun () ->
        (fitted "log" [| 1.0; 2.0 |]).Forward(-3.0) |> ignore)
    |> ignore

let ``transform specs parse, print back and name the bad token`` () =
    for text in
        [
            "identity"
            "standard"
            "quantile-normal"
            "log"
            "log1p"
            "periodic"
            "logit(0,1)"
            "logit(-2.5,1e3)"
        ] do
        let spec = TransformSpec.Parse text
        Expect.equal (TransformSpec.Parse(spec.ToString())) spec (text + " round trip")

    Expect.equal
        (TransformSpec.Parse " LogIt( -1 , 2 )")
        (TransformSpec(TransformKind.Logit, -1.0, 2.0))
        "case and spaces"

    let d =
        TransformSpec.ParseAssignments "pt1=log,phi1=periodic, eff=logit(0,1) ,eta1=standard"

    Expect.equal
        (d |> Seq.map (fun kv -> kv.Key, kv.Value) |> List.ofSeq)
        [ "pt1", "log"; "phi1", "periodic"; "eff", "logit(0,1)"; "eta1", "standard" ]
        "assignments"

    for bad, token in
        [
            "pt1=log,phi1=sine", "phi1=sine"
            "pt1", "pt1"
            "=log", "=log"
            "eff=logit(1,0)", "eff=logit(1,0)"
            "eff=logit(0)", "eff=logit(0)"
            "pt1=log,pt1=log1p", "pt1=log1p"
        ] do
        let e =
            raises<ArgumentException> bad (fun () -> TransformSpec.ParseAssignments bad |> ignore)

        contains (sprintf "'%s'" token) e.Message (bad + ": names the token")

    let e =
        raises<ArgumentException> "unknown kind" (fun () -> TransformSpec.Parse "sine" |> ignore)

    contains TransformSpec.Allowed e.Message "lists the allowed kinds"

[<Tests>]
let tests =
    testList
        "Data.Transforms"
        [
            testCase
                "quantile transform matches scikit-learn's QuantileTransformer (normal output)"
                ``quantile transform matches scikit-learn's QuantileTransformer (normal output)``
            testCase
                "tied quantiles map to the middle of their run as in scikit-learn"
                ``tied quantiles map to the middle of their run as in scikit-learn``
            testCase
                "the number of quantiles is capped at the sample size"
                ``the number of quantiles is capped at the sample size``
            testPropertyN
                100
                "quantile transform: Inverse(Forward x) = x inside the training range, and Forward is monotone"
                ``quantile transform: Inverse(Forward x) = x inside the training range, and Forward is monotone``
            testPropertyN
                100
                "standardisation round-trips and gives weighted mean 0 and weighted sd 1 on its training data"
                ``standardisation round-trips and gives weighted mean 0 and weighted sd 1 on its training data``
            testCase
                "quantile transform output is N(0,1) on its (skewed) training sample"
                ``quantile transform output is N(0,1) on its (skewed) training sample``
            testCase
                "a weighted quantile fit maps the weighted target to N(0,1)"
                ``a weighted quantile fit maps the weighted target to N(0,1)``
            testCase
                "log-derivative of the quantile transform equals a finite difference"
                ``log-derivative of the quantile transform equals a finite difference``
            testCase "transform states survive JSON exactly" ``transform states survive JSON exactly``
            testCase
                "bad input: NaN values, negative weights, unknown kinds"
                ``bad input: NaN values, negative weights, unknown kinds``
            testPropertyN
                30
                "every width-1 kind round-trips: Inverse(Forward x) = x on random data"
                ``every width-1 kind round-trips: Inverse(Forward x) = x on random data``
            testCase
                "log, log1p and logit are followed by a weighted standardisation"
                ``log, log1p and logit are followed by a weighted standardisation``
            testCase
                "log-derivative of log, log1p and logit equals a finite difference"
                ``log-derivative of log, log1p and logit equals a finite difference``
            testCase
                "periodic: two model columns, the inverse is atan2 in (-pi, pi] on and off the circle"
                ``periodic: two model columns, the inverse is atan2 in (-pi, pi] on and off the circle``
            testCase
                "a row with a periodic column is one column wider on the model scale"
                ``a row with a periodic column is one column wider on the model scale``
            testCase "states of the new kinds survive JSON exactly" ``states of the new kinds survive JSON exactly``
            testCase
                "values outside a kind's domain are refused with the column's name"
                ``values outside a kind's domain are refused with the column's name``
            testCase
                "transform specs parse, print back and name the bad token"
                ``transform specs parse, print back and name the bad token``
        ]
