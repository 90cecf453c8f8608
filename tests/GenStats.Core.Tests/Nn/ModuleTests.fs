/// Modules: shapes, initialisation statistics, dropout, layer norm, the gradient penalty through an Mlp.
module GenStats.Tests.Nn.ModuleTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Tensors
open GenStats.Nn
open GenStats.Tests.Tolerance
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let ``an Mlp has the requested shapes, names and parameter count`` () =
    let mlp = Mlp.Create([| 3; 7; 5; 2 |], Activation.Relu, Activation.Sigmoid, 1UL)
    let names = mlp.NamedParameters() |> Seq.map (fun p -> p.Name) |> Array.ofSeq
    eqArr names [| "0.weight"; "0.bias"; "2.weight"; "2.bias"; "4.weight"; "4.bias" |]
    Expect.equal mlp.ParameterCount (3 * 7 + 7 + 7 * 5 + 5 + 5 * 2 + 2) "mlp.ParameterCount"
    let y = Tensor.Zeros(4, 3) --> mlp
    eqArr (y.Shape.ToArray()) [| 4; 2 |]
    // Zero input and zero biases: every pre-activation is 0, so the sigmoid output is ½.
    Expect.isTrue (y.ToArray() |> Array.forall (fun v -> v = 0.5f)) "y.ToArray() |> Array.forall (fun v -> v = 0.5f)"

let ``initialisers have the documented bounds and variances`` () =
    let fanIn, fanOut = 400, 300
    let n = float (fanIn * fanOut)

    let check init (expectedVar: float) (bound: float option) =
        let w = (Linear(fanIn, fanOut, 5UL, init)).Weight.ToArray() |> Array.map float

        let var = (w |> Array.sumBy (fun x -> x * x)) / n
        // 5σ of a variance estimate: √(Var(x²)/n) ≤ √(2σ⁴·1.5/n) for uniform/normal.
        Expect.isLessThan
            (abs (var - expectedVar))
            (5.0 * expectedVar * sqrt (3.0 / n))
            (sprintf "%A variance %g vs %g" init var expectedVar)

        match bound with
        | Some b -> Expect.isTrue (w |> Array.forall (fun x -> abs x <= b)) (sprintf "%A bound" init)
        | None -> ()

    check Init.KaimingUniform (2.0 / float fanIn) (Some(sqrt (6.0 / float fanIn)))
    check Init.KaimingNormal (2.0 / float fanIn) None
    check Init.XavierUniform (2.0 / float (fanIn + fanOut)) (Some(sqrt (6.0 / float (fanIn + fanOut))))
    check Init.XavierNormal (2.0 / float (fanIn + fanOut)) None

let ``dropout keeps a 1 − p fraction scaled by 1/(1 − p) in training and is the identity in evaluation`` () =
    let p = 0.3f
    let d = Dropout(p, 3UL)
    let n = 100_000
    let x = Tensor.Ones(n)
    let y = (d.Forward x).ToArray()
    let kept = y |> Array.filter (fun v -> v <> 0f)

    Expect.isTrue
        (kept |> Array.forall (fun v -> abs (v - 1f / (1f - p)) < 1e-6f))
        "kept |> Array.forall (fun v -> abs (v - 1f / (1f - p)) < 1e-6f)"

    let frac = float kept.Length / float n
    Expect.isLessThan (abs (frac - 0.7)) (5.0 * sqrt (0.21 / float n)) "abs (frac - 0.7)"
    d.Eval()
    Expect.isTrue (Object.ReferenceEquals(d.Forward x, x)) "Object.ReferenceEquals(d.Forward x, x)"

let ``layer norm gives zero mean and unit variance per row`` () =
    let ln = LayerNorm(6)
    let x = Rng(9UL).Normal(Shape([| 5; 6 |]), 3f, 2f)
    let y = ln.Forward x

    for r in 0..4 do
        let row = Array.init 6 (fun c -> float y[r, c])
        assertClose { Absolute = 1e-5; Relative = 0.0 } 0.0 (Array.average row) "row mean"
        let var = (row |> Array.sumBy (fun v -> v * v)) / 6.0
        assertClose { Absolute = 1e-3; Relative = 0.0 } 1.0 var "row variance"

let ``layer norm gradients match finite differences, first and second order`` () =
    // The module itself (LayerNorm.Forward), with γ and β set to the drawn values: ∂/∂x by central
    // differences (first and second order); ∂L/∂γ and ∂L/∂β of L = Σ c·y against their closed forms
    // ∂L/∂γ_k = Σ_r c_rk·n_rk, ∂L/∂β_k = Σ_r c_rk, with n = (x − mean)/√(var + ε) computed here in float64.
    let g =
        gen {
            let! r = Gen.choose (1, 3)
            let! c = Gen.choose (2, 5)
            let! x = inputOf [| r; c |] (values -2.0 2.0)
            let! gain = inputOf [| c |] (values 0.5 1.5)
            let! shift = inputOf [| c |] (values -0.5 0.5)
            return [| x; gain; shift |]
        }

    Prop.forAll (arb g) (fun ins ->
        // Rows whose entries are nearly equal have a tiny variance: skip them (ε dominates, huge curvature).
        let r, c = ins[0].Shape[0], ins[0].Shape[1]

        let spread =
            [
                for i in 0 .. r - 1 -> let row = ins[0].Values[i * c .. i * c + c - 1] in Array.max row - Array.min row
            ]
            |> List.min

        let ln = LayerNorm(c)
        ln.Gain.CopyFrom(ReadOnlySpan ins[1].Values[0 .. c - 1])
        ln.Shift.CopyFrom(ReadOnlySpan ins[2].Values[0 .. c - 1])

        spread < 0.5f
        || (checkBoth (fun xs -> ln.Forward xs[0]) [| ins[0] |]
            && (ln.ZeroGrad()
                let x = tensorOf ins[0]
                let y = ln.Forward x
                (scalarize y).Backward()
                let cw = (weightsFor y.Shape).ToArray() |> Array.map float
                let xv = ins[0].Values |> Array.map float

                let normed i k =
                    let row = xv[i * c .. i * c + c - 1]
                    let m = Array.average row
                    let v = (row |> Array.sumBy (fun t -> (t - m) ** 2.0)) / float c
                    (row[k] - m) / sqrt (v + 1e-5)

                let gainGrad = ln.Gain.Grad.ToArray()
                let shiftGrad = ln.Shift.Grad.ToArray()

                [ 0 .. c - 1 ]
                |> List.forall (fun k ->
                    let eg = Seq.sum (seq { for i in 0 .. r - 1 -> cw[i * c + k] * normed i k })
                    let eb = Seq.sum (seq { for i in 0 .. r - 1 -> cw[i * c + k] })
                    let okG = abs (float gainGrad[k] - eg) <= 1e-4 + 1e-4 * abs eg
                    let okB = abs (float shiftGrad[k] - eb) <= 1e-5 + 1e-5 * abs eb

                    if not (okG && okB) then
                        failtest (
                            sprintf
                                "column %d: dL/dgain %g (closed form %g), dL/dshift %g (closed form %g)"
                                k
                                gainGrad[k]
                                eg
                                shiftGrad[k]
                                eb
                        )

                    true))))

/// Perturbs one parameter entry in place (an upload on any device), evaluates, restores.
let private withEntry (p: Tensor) (j: int) (v: float32) (f: unit -> float) =
    let values = p.ToArray()
    let old = values[j]
    values[j] <- v
    p.CopyFrom(ReadOnlySpan values)

    try
        f ()
    finally
        values[j] <- old
        p.CopyFrom(ReadOnlySpan values)

let ``the gradient penalty through an Mlp critic matches finite differences in every parameter`` () =
    let critic =
        Mlp.Create([| 3; 6; 6; 2 |], Activation.Tanh, Activation.Identity, 11UL)

    let x0 = Rng(12UL).Normal(4, 3)

    let penalty () =
        let x = Tensor.FromArray(x0.ToArray(), 4, 3).RequireGrad()
        let d = Ops.Sum(critic.Forward x)
        let gx = Autograd.Grad(d, [| x |], createGraph = true)[0]
        Ops.Mean(Ops.Square(Ops.Affine(Ops.RowNorm gx, 1f, -1f)))

    critic.ZeroGrad()
    (penalty ()).Backward()
    let h = 1e-3f

    for p in critic.Parameters() do
        // The last bias does not change ∇ₓD: no gradient reaches it (null), which must mean 0.
        let ad =
            if isNull p.Grad then
                Array.zeroCreate p.Size
            else
                p.Grad.ToArray()

        for j in 0 .. p.Size - 1 do
            let v = p.ToArray()[j]
            let fp = withEntry p j (v + h) (fun () -> float ((penalty ()).ToScalar()))
            let fm = withEntry p j (v - h) (fun () -> float ((penalty ()).ToScalar()))
            let fd = (fp - fm) / (float (v + h) - float (v - h))

            if abs (float ad[j] - fd) > 2e-3 + 1e-6 * abs fp / float h + 2e-2 * abs fd then
                failtest (sprintf "parameter entry %d: autodiff %g, finite difference %g" j ad[j] fd)

let ``bad sizes are rejected`` () =
    raises<ArgumentException> "Mlp.Create([| 3 |]) |> ignore" (fun () -> Mlp.Create([| 3 |]) |> ignore)
    |> ignore

    raises<ArgumentException> "Mlp.Create([| 3; 0; 2 |]) |> ignore" (fun () -> Mlp.Create([| 3; 0; 2 |]) |> ignore)
    |> ignore

    raises<ArgumentException> "Dropout(1.0f, 1UL) |> ignore" (fun () -> Dropout(1.0f, 1UL) |> ignore)
    |> ignore

    raises<ArgumentException> "(Linear(3, 2, 1UL)).Forward(Tensor.Zeros(2, 4)) |> ignore" (fun () ->
        (Linear(3, 2, 1UL)).Forward(Tensor.Zeros(2, 4)) |> ignore)
    |> ignore

let private cases =
    testList
        "Nn.Module"
        [
            testCase
                "an Mlp has the requested shapes, names and parameter count"
                ``an Mlp has the requested shapes, names and parameter count``
            testCase
                "initialisers have the documented bounds and variances"
                ``initialisers have the documented bounds and variances``
            testCase
                "dropout keeps a 1 − p fraction scaled by 1/(1 − p) in training and is the identity in evaluation"
                ``dropout keeps a 1 − p fraction scaled by 1/(1 − p) in training and is the identity in evaluation``
            testCase
                "layer norm gives zero mean and unit variance per row"
                ``layer norm gives zero mean and unit variance per row``
            testPropertyN
                15
                "layer norm gradients match finite differences, first and second order"
                ``layer norm gradients match finite differences, first and second order``
            testCase
                "the gradient penalty through an Mlp critic matches finite differences in every parameter"
                ``the gradient penalty through an Mlp critic matches finite differences in every parameter``
            testCase "bad sizes are rejected" ``bad sizes are rejected``
        ]

/// Every case on every backend of BackendCombos.all.
[<Tests>]
let tests = GenStats.Tests.Tensors.BackendCombos.onEach cases
