/// The shared neural training plan: the automatic step budget, warm-up + schedule, the generator's
/// weight average, best-checkpoint selection, early stopping and the stored history.
module GenStats.Tests.Models.TrainingPlanTests

open System
open System.IO
open Expecto
open GenStats.Nn
open GenStats.Models
open GenStats.Tests.Models.GanToys

let private budget () =
    // ⌈100·N/B⌉ clamped to [2000, 4000]: 20 000 events of batch 256 → 7813 → 4000; 1 000 → 391 → 2000; 6 000 → 2344
    Expect.equal (TrainingPlan.TotalSteps(0, Nullable(), 20000, 256)) 4000L "large sample: the ceiling"
    Expect.equal (TrainingPlan.TotalSteps(0, Nullable(), 1000, 256)) 2000L "small sample: the floor"
    Expect.equal (TrainingPlan.TotalSteps(0, Nullable(), 6000, 256)) 2344L "in between: ⌈100·6000/256⌉"

    Expect.equal
        (TrainingPlan.TotalSteps(123, Nullable(), 20000, 256))
        123L
        "explicit steps win over the automatic budget"

    Expect.equal (TrainingPlan.TotalSteps(123, Nullable 2.5, 1000, 100)) 25L "epochs win over steps: ⌈2.5·1000/100⌉"

let private flowMatchingBudget () =
    // ⌈1000·N/B⌉ clamped to [20 000, 40 000] at B = 1 024: 9 000 → 8 790 → 20 000;
    // 30 000 → ⌈29 296.875⌉ = 29 297; 100 000 → 97 657 → 40 000
    let steps n =
        TrainingPlan.TotalSteps(0, Nullable(), n, 1024, TrainingPlan.FlowMatching)

    Expect.equal (steps 9000) 20000L "small sample: the floor"
    Expect.equal (steps 30000) 29297L "in between: ⌈1000·30000/1024⌉"
    Expect.equal (steps 100000) 40000L "large sample: the ceiling"

    Expect.equal
        (TrainingPlan.TotalSteps(500, Nullable(), 9000, 1024, TrainingPlan.FlowMatching))
        500L
        "explicit steps win"

    Expect.equal (FlowMatchingOptions().BatchSize) 1024 "the budget above is for the default batch"

let private warmup () =
    // η₀ = 1, W = 4: 0.25, 0.5, 0.75, 1, then the inner schedule
    let s = WarmupLr(ConstantLr(1.0f), 4L)

    Expect.sequenceEqual
        [ for t in 0L .. 5L -> s.At t ]
        [ 0.25f; 0.5f; 0.75f; 1.0f; 1.0f; 1.0f ]
        "linear ramp then constant"
    // cosine behind a 5 % warm-up of 100 steps: step 4 is the last ramp step (5/5 · cos part at t = 4)
    let c = TrainingPlan.Schedule(LrScheduleKind.Cosine, 2.0f, 100L, 0.05, 0.999f, 0.0f)

    let cosAt t =
        0.5 * 2.0 * (1.0 + cos (Math.PI * float t / 100.0))

    Expect.floatClose Accuracy.high (float (c.At 0L)) (cosAt 0 / 5.0) "first step: 1/5 of the cosine value"
    Expect.floatClose Accuracy.high (float (c.At 50L)) (cosAt 50) "after the ramp: plain cosine"
    Expect.floatClose Accuracy.high (float (c.At 100L)) 0.0 "cosine reaches its minimum"
    Expect.throwsT<ArgumentException> (fun () -> TrainingPlan.Check(1.0, -1, 0)) "warm-up fraction 1 is refused"
    Expect.throwsT<ArgumentException> (fun () -> TrainingPlan.Check(0.0, -2, 0)) "EvaluateEvery −2 is refused"

let private evaluations () =
    Expect.equal (TrainingPlan.EvaluationInterval(-1, 4000L, true)) 160 "automatic: 25 evaluations"
    Expect.equal (TrainingPlan.EvaluationInterval(-1, 10L, true)) 1 "at least every step"
    Expect.equal (TrainingPlan.EvaluationInterval(-1, 4000L, false)) 0 "nothing held out: never"
    Expect.equal (TrainingPlan.EvaluationInterval(7, 4000L, true)) 7 "explicit interval"

let private tinyGan (heldOut: float) (patience: int) (keepBest: bool) (ema: float32) =
    GanOptions(
        LatentSize = 2,
        GeneratorLayers = [| 8 |],
        CriticLayers = [| 8 |],
        CriticOutputSize = 2,
        BatchSize = 32,
        Steps = 40,
        Seed = 5UL,
        HeldOutFraction = heldOut,
        EvaluateEvery = 2,
        EarlyStoppingPatience = patience,
        KeepBest = keepBest,
        EmaDecay = ema
    )

let private data () = mixture (Random 3) 400 |> rows

let private bestIsArgmin () =
    let r = GanTrainer.Train(data (), null, null, tinyGan 0.25 0 true 0.9f)
    let evs = r.History.Evaluations
    Expect.equal evs.Count 20 "an evaluation every 2 of 40 steps"
    let best = evs |> Seq.minBy (fun e -> e.EnergyDistance)
    Expect.equal r.SelectedStep best.Step "the kept generator is the one of the lowest held-out energy distance"
    Expect.equal r.Model.History.SelectedStep (Nullable best.Step) "and the model's history says so"
    // the kept generator is the averaged one of that step: re-evaluating it can't be told apart from a fresh run to that step
    let rerun = GanTrainer.Create(data (), null, null, tinyGan 0.25 0 false 0.9f)
    let partial = rerun.RunTo(best.Step)
    let a = r.Model.Sample(50, 9)
    let b = partial.Model.Sample(50, 9)

    Expect.sequenceEqual
        (Array.concat a)
        (Array.concat b)
        "the best model = the averaged generator at the selected step"

let private earlyStop () =
    let r = GanTrainer.Train(data (), null, null, tinyGan 0.25 1 true 0.9f)
    // patience 1: training ends at the first evaluation that does not improve, one interval after the best
    Expect.isTrue r.StoppedEarly "a 40-step run with 20 noisy evaluations has a non-improving one"
    Expect.equal (r.Steps - r.SelectedStep) 2L "stopped one evaluation interval after the best"
    Expect.isLessThan r.Steps 40L "before the planned steps"

let private emaIsAverage () =
    // β_t = min(β, (1+t)/(10+t)): after one update from θ₀ to θ₁, θ̄ = β₀θ₀ + (1 − β₀)θ₁ with β₀ = 0.1
    let live = Linear(1, 1, 1UL)
    let avg = Linear(1, 1, 2UL)
    let a = ParameterAverage(live, avg, 0.99f)
    let p = (live.Parameters()).[0]
    let theta0 = p.Data[0]
    p.Data[0] <- theta0 + 10.0f
    a.Update(0L)
    Expect.floatClose Accuracy.medium (float ((avg.Parameters()).[0].Data[0])) (float theta0 + 0.9 * 10.0) "β₀ = 1/10"

let private historyInFile () =
    let r = GanTrainer.Train(data (), null, null, tinyGan 0.25 0 true 0.9f)

    let path =
        Path.Combine(Path.GetTempPath(), $"genstats-history-{Guid.NewGuid():N}.gsm")

    try
        r.Model.Save path
        let back = ConditionalGan.Load path
        Expect.equal back.History.Evaluations.Count 20 "every evaluation is stored"
        Expect.equal back.History.Steps.Count 40 "40 steps ≤ the 2000 stored"
        Expect.equal back.History.SelectedStep r.Model.History.SelectedStep "the selected step"
        let csv = TrainingHistoryCsv.Format back.History
        let lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        Expect.equal lines.Length (1 + 40 + 20) "header, a row per step and per evaluation"
        Expect.stringStarts lines[0] "kind,step,learning_rate,batch_ess,held_out_energy_distance" "the header"

        let selected =
            lines
            |> Array.filter (fun l -> l.StartsWith "evaluation," && l.Contains(",1,") || l.EndsWith ",1")

        Expect.isGreaterThanOrEqual selected.Length 1 "the selected evaluation is marked"
    finally
        File.Delete path

let private thinning () =
    let steps = Collections.Generic.List<StepRecord>()

    for i in 1L .. 4999L do
        steps.Add(StepRecord(i, Collections.Generic.Dictionary(), 1.0, 0.1))

    let h = TrainingHistory(steps, Collections.Generic.List()).Thinned(2000)
    // k = ⌈4999/2000⌉ = 3: steps 3, 6, …, 4998 (1666 records) and the last, 4999
    Expect.equal h.Steps.Count 1667 "every 3rd step and the last"
    Expect.equal h.Steps[h.Steps.Count - 1].Step 4999L "the last step is kept"

[<Tests>]
let tests =
    testList
        "Models.TrainingPlan"
        [
            testCase "the automatic budget scales with the data size between its floor and ceiling" budget
            testCase "flow matching's automatic budget: 1 000 epochs within [20 000, 40 000] steps" flowMatchingBudget
            testCase "warm-up ramps linearly in front of the schedule" warmup
            testCase "held-out evaluations: 25 per run, none without held-out events" evaluations
            testCase "the generator weight average follows β_t = min(β, (1+t)/(10+t))" emaIsAverage
            testCase "the kept GAN generator is the averaged one of the lowest held-out energy distance" bestIsArgmin
            testCase "early stopping ends one interval after the best evaluation" earlyStop
            testCase "a model file keeps the history; the CSV has a row per step and evaluation" historyInFile
            testCase "a long history is thinned to every k-th step and the last" thinning
        ]
