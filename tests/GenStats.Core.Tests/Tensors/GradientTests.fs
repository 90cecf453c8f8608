/// Every differentiable op: autodiff gradient = central finite difference, first and second order.
module GenStats.Tests.Tensors.GradientTests

open Expecto
open FsCheck
open FsCheck.FSharp
open GenStats.Tensors
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private unary (vals: Gen<float32>) (f: Tensor -> Tensor) =
    Prop.forAll (arb (anyRank vals)) (checkBoth (fun xs -> f xs[0]))

let ``affine`` () =
    unary (values -2.0 2.0) (fun x -> Ops.Affine(x, -1.5f, 0.25f))

let ``exp`` () = unary (values -2.0 2.0) Ops.Exp

let ``log`` () = unary (values 0.5 3.0) Ops.Log

let ``sqrt`` () = unary (values 0.5 3.0) Ops.Sqrt

let ``square`` () = unary (values -2.0 2.0) Ops.Square

let ``pow with fractional and integer exponents`` () =
    unary (values 0.5 2.0) (fun x -> Ops.Add(Ops.Pow(x, 2.5f), Ops.Pow(x, -1.0f)))

let ``tanh`` () = unary (values -2.0 2.0) Ops.Tanh

let ``sigmoid`` () = unary (values -3.0 3.0) Ops.Sigmoid

let ``softplus`` () = unary (values -3.0 3.0) Ops.Softplus

let ``relu`` () =
    unary awayFromZero (fun x -> Ops.Mul(Ops.Relu x, x))

let ``leaky relu`` () =
    unary awayFromZero (fun x -> Ops.Mul(Ops.LeakyRelu(x, 0.2f), x))

let ``elu`` () =
    unary awayFromZero (fun x -> Ops.Elu(x, 1.3f))

let ``abs`` () =
    unary awayFromZero (fun x -> Ops.Mul(Ops.Abs x, x))

let ``clamp`` () =
    // Values at least 0.1 away from both bounds −0.5 and 0.7.
    let v = Gen.oneof [ values -2.0 -0.6; values -0.4 0.6; values 0.8 2.0 ]
    unary v (fun x -> Ops.Mul(Ops.Clamp(x, -0.5f, 0.7f), x))

let ``sum and mean over axes`` () =
    Prop.forAll (arb (anyRank (values -2.0 2.0))) (fun ins ->
        let r = ins[0].Shape.Length

        checkBoth (fun xs -> Ops.Square(Ops.Sum(xs[0], [| r - 1 |], keepDims = true))) ins
        && checkBoth (fun xs -> Ops.Square(Ops.Mean(xs[0], [| 0 |]))) ins
        && checkBoth (fun xs -> Ops.Square(Ops.Sum xs[0])) ins)

let ``logsumexp over rows and columns`` () =
    Prop.forAll (arb (matrix (values -3.0 3.0))) (fun ins ->
        checkBoth (fun xs -> Ops.LogSumExp(xs[0], 1)) ins
        && checkBoth (fun xs -> Ops.LogSumExp(xs[0], 0, keepDims = true)) ins)

let ``row L2 norm`` () =
    Prop.forAll (arb (matrix awayFromZero)) (checkBoth (fun xs -> Ops.RowNorm xs[0]))

let ``transpose and reshape`` () =
    Prop.forAll
        (arb (matrix (values -2.0 2.0)))
        (checkBoth (fun xs -> Ops.Square(Ops.Reshape(Ops.Transpose xs[0], [| xs[0].Size |]))))

let ``slice and concat along columns and rows`` () =
    let g =
        gen {
            let! r = Gen.choose (1, 4)
            let! c1 = Gen.choose (1, 3)
            let! c2 = Gen.choose (1, 3)
            let! a = inputOf [| r; c1 |] (values -2.0 2.0)
            let! b = inputOf [| r; c2 |] (values -2.0 2.0)
            return [| a; b |]
        }

    Prop.forAll (arb g) (fun ins ->
        let c1 = ins[0].Shape[1]

        checkBoth
            (fun xs ->
                let cat = Ops.Concat([| xs[0]; Ops.Square xs[1] |], 1)

                Ops.Mul(
                    Ops.SliceColumns(cat, c1 / 2, cat.Shape[1] - c1 / 2),
                    Ops.SliceColumns(cat, 0, cat.Shape[1] - c1 / 2)
                ))
            ins
        && checkBoth
            (fun xs ->
                let t = Ops.Concat([| Ops.Transpose xs[0]; Ops.Transpose xs[1] |], 0)
                Ops.Tanh(Ops.SliceRows(t, 1, t.Shape[0] - 1)))
            ins)

/// Pairs of shapes that broadcast: equal, row vector, column vector, scalar, rank-3 against rank-2,
/// with the first input's values from `va` and the second's from `vb`.
let broadcastPairOf (va: Gen<float32>) (vb: Gen<float32>) : Gen<Input[]> =
    gen {
        let! r = Gen.choose (1, 3)
        let! c = Gen.choose (1, 4)
        let! d = Gen.choose (2, 3)

        let! a, b =
            Gen.elements
                [
                    [| r; c |], [| r; c |]
                    [| r; c |], [| c |]
                    [| r; c |], [| r; 1 |]
                    [| r; 1 |], [| 1; c |]
                    [| r; c |], [||]
                    [| d; r; c |], [| r; 1 |]
                    [| c |], [| d; r; c |]
                ]

        let! ia = inputOf a va
        let! ib = inputOf b vb
        return [| ia; ib |]
    }

/// Broadcasting pairs with first values in [−2, 2].
let broadcastPair (vb: Gen<float32>) : Gen<Input[]> = broadcastPairOf (values -2.0 2.0) vb

let private binary (vb: Gen<float32>) f =
    Prop.forAll (arb (broadcastPair vb)) (checkBoth (fun xs -> f xs[0] xs[1]))

let ``broadcasting add`` () =
    binary (values -2.0 2.0) (fun a b -> Ops.Square(Ops.Add(a, b)))

let ``broadcasting sub`` () =
    binary (values -2.0 2.0) (fun a b -> Ops.Square(Ops.Sub(a, b)))

let ``broadcasting mul`` () =
    binary (values -2.0 2.0) (fun a b -> Ops.Mul(a, b))

let ``broadcasting div`` () =
    binary (Gen.map (fun v -> v + 1.0f) (values 0.0 1.5)) (fun a b -> Ops.Div(a, b))

/// op(A)·op(B) for the four transpose combinations.
let ``matmul, all transpose combinations`` () =
    let g =
        gen {
            let! m = Gen.choose (1, 4)
            let! k = Gen.choose (1, 4)
            let! n = Gen.choose (1, 4)
            let! ta = Gen.elements [ false; true ]
            let! tb = Gen.elements [ false; true ]
            let! a = inputOf (if ta then [| k; m |] else [| m; k |]) (values -2.0 2.0)
            let! b = inputOf (if tb then [| n; k |] else [| k; n |]) (values -2.0 2.0)
            return ta, tb, [| a; b |]
        }

    Prop.forAll (Arb.fromGen g) (fun (ta, tb, ins) ->
        checkBoth (fun xs -> Ops.Tanh(Ops.MatMul(xs[0], xs[1], ta, tb))) ins)

let ``linear layer with bias`` () =
    let g =
        gen {
            let! batch = Gen.choose (1, 4)
            let! fin = Gen.choose (1, 4)
            let! fout = Gen.choose (1, 4)
            let! x = inputOf [| batch; fin |] (values -2.0 2.0)
            let! w = inputOf [| fin; fout |] (values -1.0 1.0)
            let! b = inputOf [| fout |] (values -1.0 1.0)
            return [| x; w; b |]
        }

    Prop.forAll (arb g) (checkBoth (fun xs -> Ops.Sigmoid(Ops.Linear(xs[0], xs[1], xs[2]))))

let ``mse, BCE with logits and Gaussian NLL`` () =
    let g =
        gen {
            let! s = matrixShape
            let! p = inputOf s (values -2.0 2.0)
            let! t = inputOf s (values 0.0 1.0)
            let! v = inputOf s (values 0.3 2.0)
            return [| p; t; v |]
        }

    Prop.forAll (arb g) (fun ins ->
        checkBoth (fun xs -> Ops.Mse(xs[0], xs[1])) ins
        && checkBoth (fun xs -> Ops.BceWithLogits(xs[0], xs[1])) ins
        && checkBoth (fun xs -> Ops.BceWithLogits(xs[0], xs[1], weightsFor xs[0].Shape)) ins
        && checkBoth (fun xs -> Ops.GaussianNll(xs[0], xs[1], xs[2])) ins)

/// The WGAN-GP / Cramér-GAN pattern: penalty = mean(relu(‖∇ₓD(x)‖ − 1)²) (one-sided) or
/// mean((‖∇ₓD(x)‖ − 1)²) (two-sided) for a 2-hidden-layer critic D; its gradient with respect to the
/// critic's weights and to x must match finite differences of the penalty itself.
let private penaltyCheck (activation: Tensor -> Tensor) (oneSided: bool) (h: float32) (ins: Input[]) =
    let penalty (xs: Tensor[]) =
        let x = xs[0]

        let d =
            Ops.Linear(activation (Ops.Linear(activation (Ops.Linear(x, xs[1], xs[2])), xs[3], xs[4])), xs[5], null)

        let gx = Autograd.Grad(Ops.Sum d, [| x |], createGraph = true)[0]
        let excess = Ops.Affine(Ops.RowNorm gx, 1f, -1f)
        Ops.Mean(Ops.Square(if oneSided then Ops.Relu excess else excess))

    let c =
        {
            Value = fun i -> (penalty (Array.map leafOf i)).ToScalar() |> float
            Gradient =
                fun i ->
                    let xs = Array.map leafOf i

                    Autograd.Grad(penalty xs, xs)
                    |> Array.map (fun g -> g.ToArray() |> Array.map float)
        }

    checkAgainstFiniteDifferences "gradient penalty" h 2e-2 2e-3 c ins

let private criticInputs =
    gen {
        let! batch = Gen.choose (1, 4)
        let! x = inputOf [| batch; 3 |] (values -1.5 1.5)
        let! w1 = inputOf [| 3; 5 |] (values -1.5 1.5)
        let! b1 = inputOf [| 5 |] (values -0.5 0.5)
        let! w2 = inputOf [| 5; 4 |] (values -1.5 1.5)
        let! b2 = inputOf [| 4 |] (values -0.5 0.5)
        let! w3 = inputOf [| 4; 1 |] (values -1.5 1.5)
        return [| x; w1; b1; w2; b2; w3 |]
    }

let ``gradient penalty through a tanh critic, two-sided`` () =
    Prop.forAll (arb criticInputs) (penaltyCheck Ops.Tanh false 1e-3f)

let ``gradient penalty through a softplus critic, one-sided`` () =
    // Scaled weights push ‖∇D‖ above 1 often enough for the one-sided branch to be active.
    Prop.forAll (arb criticInputs) (fun ins ->
        let scaled =
            ins
            |> Array.mapi (fun i inp ->
                if i = 5 then
                    { inp with
                        Values = inp.Values |> Array.map (fun v -> 3f * v)
                    }
                else
                    inp)

        penaltyCheck Ops.Softplus true 1e-3f scaled)

let ``gradient penalty through a ReLU critic matches finite differences for fixed weights`` () =
    // ReLU makes ∇ₓD piecewise constant in x but polynomial in the weights: the penalty's weight
    // gradient is non-zero and must be right. Inputs are fixed away from kinks (checked below).
    let r = System.Random(7)

    let mk (shape: int[]) scale =
        {
            Shape = shape
            Values = Array.init (Array.fold (*) 1 shape) (fun _ -> float32 ((r.NextDouble() * 2.0 - 1.0) * scale))
        }

    let ins =
        [|
            mk [| 4; 3 |] 1.0
            mk [| 3; 6 |] 1.5
            mk [| 6 |] 0.5
            mk [| 6; 5 |] 1.5
            mk [| 5 |] 0.5
            mk [| 5; 1 |] 2.0
        |]

    Expect.isTrue (penaltyCheck Ops.Relu false 1e-3f ins) "penaltyCheck Ops.Relu false 1e-3f ins"

let private cases =
    testList
        "Tensors.Gradient"
        [
            testPropertyN 40 "affine" ``affine``
            testPropertyN 40 "exp" ``exp``
            testPropertyN 40 "log" ``log``
            testPropertyN 40 "sqrt" ``sqrt``
            testPropertyN 40 "square" ``square``
            testPropertyN 40 "pow with fractional and integer exponents" ``pow with fractional and integer exponents``
            testPropertyN 40 "tanh" ``tanh``
            testPropertyN 40 "sigmoid" ``sigmoid``
            testPropertyN 40 "softplus" ``softplus``
            testPropertyN 40 "relu" ``relu``
            testPropertyN 40 "leaky relu" ``leaky relu``
            testPropertyN 40 "elu" ``elu``
            testPropertyN 40 "abs" ``abs``
            testPropertyN 40 "clamp" ``clamp``
            testPropertyN 40 "sum and mean over axes" ``sum and mean over axes``
            testPropertyN 40 "logsumexp over rows and columns" ``logsumexp over rows and columns``
            testPropertyN 40 "row L2 norm" ``row L2 norm``
            testPropertyN 40 "transpose and reshape" ``transpose and reshape``
            testPropertyN 40 "slice and concat along columns and rows" ``slice and concat along columns and rows``
            testPropertyN 40 "broadcasting add" ``broadcasting add``
            testPropertyN 40 "broadcasting sub" ``broadcasting sub``
            testPropertyN 40 "broadcasting mul" ``broadcasting mul``
            testPropertyN 40 "broadcasting div" ``broadcasting div``
            testPropertyN 40 "matmul, all transpose combinations" ``matmul, all transpose combinations``
            testPropertyN 40 "linear layer with bias" ``linear layer with bias``
            testPropertyN 40 "mse, BCE with logits and Gaussian NLL" ``mse, BCE with logits and Gaussian NLL``
            testPropertyN
                15
                "gradient penalty through a tanh critic, two-sided"
                ``gradient penalty through a tanh critic, two-sided``
            testPropertyN
                15
                "gradient penalty through a softplus critic, one-sided"
                ``gradient penalty through a softplus critic, one-sided``
            testCase
                "gradient penalty through a ReLU critic matches finite differences for fixed weights"
                ``gradient penalty through a ReLU critic matches finite differences for fixed weights``
        ]

/// Every case on every backend of BackendCombos.all.
[<Tests>]
let tests = BackendCombos.onEach cases
