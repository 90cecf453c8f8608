/// Optimizers reach the minimum of a convex quadratic; schedules and clipping have their closed forms;
/// training is deterministic.
module GenStats.Tests.Nn.TrainingTests

open Expecto
open System
open GenStats.Tensors
open GenStats.Nn
open GenStats.Tests.Tolerance
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.Expectations

/// f(w) = ½ Σ aᵢ (wᵢ − tᵢ)² with curvatures aᵢ ∈ [0.5, 2]: the minimum is w = t.
let private target = [| 1.5f; -2.0f; 0.25f; 3.0f; -0.75f |]
let private curv = [| 0.5f; 1.0f; 2.0f; 1.5f; 0.8f |]

let private minimise (make: Tensor -> Optimizer) (steps: int) (schedule: ILrSchedule option) =
    let w = (Tensor.Zeros 5).RequireGrad()
    let opt = make w
    let t, a = Tensor.FromArray(target, 5), Tensor.FromArray(curv, 5)

    for s in 0 .. steps - 1 do
        schedule
        |> Option.iter (fun sch -> Training.ApplySchedule(sch, opt, int64 s) |> ignore)

        opt.ZeroGrad()
        use _scope = TensorScope.Begin()
        let loss = Ops.Affine(Ops.Sum(Ops.Mul(a, Ops.Square(Ops.Sub(w, t)))), 0.5f, 0f)
        loss.Backward()
        opt.Step()

    w.ToArray()

let private assertAtMinimum (w: float32[]) (tol: float) what =
    Array.iteri
        (fun i v ->
            assertClose { Absolute = tol; Relative = 0.0 } (float target[i]) (float v) (sprintf "%s w[%d]" what i))
        w

let ``SGD with momentum reaches the minimum of a convex quadratic`` () =
    assertAtMinimum
        (minimise (fun w -> Sgd([ w ], SgdOptions(LearningRate = 0.1f, Momentum = 0.9f))) 400 None)
        1e-4
        "sgd"

    assertAtMinimum
        (minimise (fun w -> Sgd([ w ], SgdOptions(LearningRate = 0.1f, Momentum = 0.5f, Nesterov = true))) 400 None)
        1e-4
        "nesterov"

let ``Adam reaches the minimum of a convex quadratic`` () =
    assertAtMinimum
        (minimise (fun w -> Adam([ w ], AdamOptions(LearningRate = 0.1f))) 1500 (Some(CosineLr(0.1f, 1500L, 0f))))
        1e-3
        "adam"

let ``RMSProp reaches the minimum of a convex quadratic`` () =
    assertAtMinimum
        (minimise
            (fun w -> RmsProp([ w ], RmsPropOptions(LearningRate = 0.05f)))
            1500
            (Some(ExponentialLr(0.05f, 0.995f))))
        1e-3
        "rmsprop"

    assertAtMinimum
        (minimise
            (fun w -> RmsProp([ w ], RmsPropOptions(LearningRate = 0.01f, Momentum = 0.5f)))
            1500
            (Some(StepLr(0.01f, 300, 0.3f))))
        1e-3
        "rmsprop momentum"

let ``one optimizer step follows the published update rules`` () =
    // One step from w = 1 with gradient g = 2 (loss w²): hand-computed per PyTorch's definitions.
    let step (make: Tensor -> Optimizer) =
        let w = (Tensor.FromArray([| 1f |], 1)).RequireGrad()
        let opt = make w
        (Ops.Sum(Ops.Square w)).Backward()
        opt.Step()
        float (w.ToArray()[0])
    // SGD, weight decay 0.5: w − lr (g + 0.5 w) = 1 − 0.1·2.5.
    assertClose medium 0.75 (step (fun w -> Sgd([ w ], SgdOptions(LearningRate = 0.1f, WeightDecay = 0.5f)))) "sgd"
    // Adam step 1: m̂ = g, v̂ = g², w − lr·g/(|g| + ε) = 1 − 0.1.
    assertClose medium 0.9 (step (fun w -> Adam([ w ], AdamOptions(LearningRate = 0.1f)))) "adam"
    // AdamW: w(1 − lr·λ) − lr = 1·(1 − 0.01) − 0.1.
    assertClose
        medium
        0.89
        (step (fun w -> Adam([ w ], AdamOptions(LearningRate = 0.1f, WeightDecay = 0.1f, Decoupled = true))))
        "adamw"
    // RMSProp: v = (1 − α) g² = 0.04; w − lr·g/√v = 1 − 0.01·2/0.2.
    assertClose medium 0.9 (step (fun w -> RmsProp([ w ], RmsPropOptions(LearningRate = 0.01f)))) "rmsprop"

let ``schedules have their closed forms`` () =
    assertClose high (0.1 * 0.9 ** 3.0) (float ((ExponentialLr(0.1f, 0.9f)).At 3L)) "exponential"
    assertClose high (0.1 * 0.5 ** 2.0) (float ((StepLr(0.1f, 10, 0.5f)).At 25L)) "step"
    let c = CosineLr(0.1f, 100L, 0.01f)
    assertClose high 0.1 (float (c.At 0L)) "cosine start"
    assertClose high 0.055 (float (c.At 50L)) "cosine middle"
    assertClose high 0.01 (float (c.At 100L)) "cosine end"
    assertClose high 0.01 (float (c.At 1000L)) "cosine after the end"

let ``gradient clipping scales the joint norm down to the maximum and returns the norm before`` () =
    let a = (Tensor.FromArray([| 3f; 0f |], 2)).RequireGrad()
    let b = (Tensor.FromArray([| 4f |], 1)).RequireGrad()
    (Ops.Add(Ops.Sum(Ops.Mul(a, a)), Ops.Sum(Ops.Mul(b, b)))).Backward() // grads (6, 0) and 8: norm 10
    let before = Training.ClipGradNorm([ a; b ], 5.0)
    assertClose medium 10.0 before "norm before"
    assertClose low 3.0 (float (a.Grad.ToArray()[0])) "a scaled"
    assertClose low 4.0 (float (b.Grad.ToArray()[0])) "b scaled"
    let again = Training.ClipGradNorm([ a; b ], 100.0)
    assertClose low 5.0 again "second norm"
    assertClose low 3.0 (float (a.Grad.ToArray()[0])) "unchanged below the maximum"

/// A few steps of Adam on an Mlp with dropout; returns every parameter's bytes.
let private train (seed: uint64) (threads: int) =
    let saved = TensorBackend.MaxThreads
    TensorBackend.MaxThreads <- threads

    try
        let mlp = Mlp(MlpOptions([| 4; 64; 64; 3 |], Dropout = 0.2f, Seed = seed))
        let opt = Adam(mlp.Parameters(), AdamOptions(LearningRate = 1e-2f))
        let rng = Rng(seed + 100UL)

        for _ in 1..5 do
            use _s = TensorScope.Begin()
            let x = rng.Normal(300, 4)
            let y = rng.Normal(300, 3)
            opt.ZeroGrad()
            (Ops.Mse(mlp.Forward x, y)).Backward()
            opt.Step()

        mlp.Parameters() |> Seq.collect (fun p -> p.ToArray()) |> Array.ofSeq
    finally
        TensorBackend.MaxThreads <- saved

let ``the same seed gives identical parameters after training, for any thread count`` () =
    let a = train 5UL 2
    eqArr (train 5UL 2) a
    eqArr (train 5UL 1) a
    Expect.isTrue (train 6UL 2 <> a) "a different seed gives different parameters"

let private cases =
    testList
        "Nn.Training"
        [
            testCase
                "SGD with momentum reaches the minimum of a convex quadratic"
                ``SGD with momentum reaches the minimum of a convex quadratic``
            testCase "Adam reaches the minimum of a convex quadratic" ``Adam reaches the minimum of a convex quadratic``
            testCase
                "RMSProp reaches the minimum of a convex quadratic"
                ``RMSProp reaches the minimum of a convex quadratic``
            testCase
                "one optimizer step follows the published update rules"
                ``one optimizer step follows the published update rules``
            testCase "schedules have their closed forms" ``schedules have their closed forms``
            testCase
                "gradient clipping scales the joint norm down to the maximum and returns the norm before"
                ``gradient clipping scales the joint norm down to the maximum and returns the norm before``
            testCase
                "the same seed gives identical parameters after training, for any thread count"
                ``the same seed gives identical parameters after training, for any thread count``
        ]

/// Every case on every backend of BackendCombos.all.
[<Tests>]
let tests = GenStats.Tests.Tensors.BackendCombos.onEach cases
