/// The fixed-step ODE solvers of flow-matching sampling against exactly solvable velocity fields
/// (their convergence orders measured by halving the step), and the optimal-transport path and
/// target against their formulas (Lipman et al. 2022, eqs. 20–23).
module GenStats.Tests.Models.FlowMatchingSolverTests

open Expecto
open GenStats.Models
open GenStats.Tests

let private close acc actual expected what =
    Tolerance.assertClose acc expected actual what

// dx/dt = A x with A = a·I + b·J, J = [[0, 1], [−1, 0]]: exp(A) = e^a [[cos b, sin b], [−sin b, cos b]]
// (A's two parts commute, and exp(θJ) is the rotation by −θ), so x(1) from (1, 0) is e^a (cos b, −sin b).
let private a, b = -0.5, 1.3

let private linear =
    VelocityField(fun _ x v ->
        for i in 0..2 .. x.Length - 1 do
            v[i] <- a * x[i] + b * x[i + 1]
            v[i + 1] <- -b * x[i] + a * x[i + 1])

let private exact = [| exp a * cos b; -(exp a) * sin b |]

let private error (m: OdeMethod) steps =
    let x = OdeSolver.Integrate(linear, [| 1.0; 0.0 |], m, steps)
    sqrt ((x[0] - exact[0]) ** 2.0 + (x[1] - exact[1]) ** 2.0)

/// log₂ of the error ratio when the step halves: the observed order of the method.
let private order m steps =
    log (error m steps / error m (2 * steps)) / log 2.0

[<Tests>]
let tests =
    let orders =
        [
            for m, p, steps in
                [
                    OdeMethod.Euler, 1.0, 64
                    OdeMethod.Midpoint, 2.0, 32
                    OdeMethod.Rk4, 4.0, 16
                ] ->
                testCase $"{m} converges with order {p} on dx/dt = A x (exact solution exp(A)x0)" (fun () ->
                    // the leading error term dominates at these step sizes: the measured order is
                    // within 0.1 of the theoretical one (checked at two successive halvings)
                    let o1, o2 = order m steps, order m (2 * steps)
                    Expect.isLessThan (abs (o1 - p)) 0.1 (sprintf "order %.3f at %d → %d steps" o1 steps (2 * steps))

                    Expect.isLessThan
                        (abs (o2 - p))
                        0.1
                        (sprintf "order %.3f at %d → %d steps" o2 (2 * steps) (4 * steps)))
        ]

    testList
        "Models.FlowMatching.Solver"
        [
            yield! orders

            testCase
                "a time-dependent field is evaluated at the right times: dx/dt = 2t·x gives x(1) = e·x(0)"
                (fun () ->
                    let f =
                        VelocityField(fun t x v ->
                            for i in 0 .. x.Length - 1 do
                                v[i] <- 2.0 * t * x[i])

                    // RK4 with 16 steps: error ~ h⁴ ≈ 1.5e-5 of the scale; midpoint ~ h² ≈ 4e-3 (times the constants)
                    let rk4 = OdeSolver.Integrate(f, [| 1.0; -2.0 |], OdeMethod.Rk4, 16)
                    close { Absolute = 1e-6; Relative = 1e-6 } rk4[0] (exp 1.0) "rk4 x(1)"
                    close { Absolute = 2e-6; Relative = 1e-6 } rk4[1] (-2.0 * exp 1.0) "rk4 x(1), second row"
                    // Euler's x(1) = Π (1 + 2 t_s h) over t_s = s/n: the product, computed by hand for n = 4
                    let euler = OdeSolver.Integrate(f, [| 1.0 |], OdeMethod.Euler, 4)
                    close Tolerance.veryHigh euler[0] (1.0 * 1.125 * 1.25 * 1.375) "Euler x(1), n = 4"
                    // midpoint, one step: x + h·v(h/2, x + h/2·v(0, x)) = 1 + 1·(2·0.5·1) = 2
                    let mid = OdeSolver.Integrate(f, [| 1.0 |], OdeMethod.Midpoint, 1)
                    close Tolerance.veryHigh mid[0] 2.0 "midpoint x(1), n = 1")

            testCase "integration runs from t0 to t1 and leaves the initial state untouched" (fun () ->
                let x0 = [| 1.0; 0.0 |]

                let back =
                    OdeSolver.Integrate(
                        linear,
                        OdeSolver.Integrate(linear, x0, OdeMethod.Rk4, 64),
                        OdeMethod.Rk4,
                        64,
                        1.0,
                        0.0
                    )

                Expect.equal x0 [| 1.0; 0.0 |] "initial state unchanged"
                // each leg's RK4 error is ~h⁴ = 6e-8 times a constant below 1
                close { Absolute = 1e-7; Relative = 1e-7 } back[0] 1.0 "forward then backward returns x0"
                close { Absolute = 1e-7; Relative = 1e-7 } back[1] 0.0 "forward then backward returns x0 (second)")

            testCase "bad solver input fails clearly" (fun () ->
                let ex =
                    Expectations.raises<System.ArgumentException> "steps 0" (fun () ->
                        OdeSolver.Integrate(linear, [| 1.0; 0.0 |], OdeMethod.Rk4, 0) |> ignore)

                Expectations.contains "steps is 0" ex.Message "message")

            testCase "the OT path: x_0 = noise, x_1 = data + σ_min·noise, u = dx_t/dt, hand-computed point" (fun () ->
                let s = 0.1
                // by hand: (1 − 0.9·0.25)·2 + 0.25·(−1) = 1.55 − 0.25 = 1.3; u = −1 − 0.9·2 = −2.8
                close Tolerance.veryHigh (OptimalTransportPath.Point(2.0, -1.0, 0.25, s)) 1.3 "x_t"
                close Tolerance.veryHigh (OptimalTransportPath.Velocity(2.0, -1.0, s)) -2.8 "u"
                close Tolerance.veryHigh (OptimalTransportPath.Point(2.0, -1.0, 0.0, s)) 2.0 "t = 0: the noise"

                close
                    Tolerance.veryHigh
                    (OptimalTransportPath.Point(2.0, -1.0, 1.0, s))
                    (-1.0 + 0.1 * 2.0)
                    "t = 1: data + σ_min x0"
                // u is the time derivative of the path (central difference; the path is linear in t)
                for t in [ 0.1; 0.5; 0.9 ] do
                    let h = 1e-4

                    let fd =
                        (OptimalTransportPath.Point(0.7, 3.0, t + h, s)
                         - OptimalTransportPath.Point(0.7, 3.0, t - h, s))
                        / (2.0 * h)

                    close
                        { Absolute = 1e-9; Relative = 1e-9 }
                        fd
                        (OptimalTransportPath.Velocity(0.7, 3.0, s))
                        $"du at t = {t}")

            testCase "the time features are t, sin 2πkt, cos 2πkt" (fun () ->
                let d = Array.zeroCreate<float32> 5
                OptimalTransportPath.TimeFeatures(0.125, 2, System.Span d)
                // sin(π/4) = cos(π/4) = √½; sin(π/2) = 1, cos(π/2) = 0
                let r = sqrt 0.5

                for i, e in List.indexed [ 0.125; r; r; 1.0; 0.0 ] do
                    close { Absolute = 1e-7; Relative = 1e-6 } (float d[i]) e $"feature {i}")
        ]
