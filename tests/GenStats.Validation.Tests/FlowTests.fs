/// The F# Flow module: its settings carry the C# defaults, and its likelihood checks (KL against a
/// known truth, held-out vs training NLL) give the closed-form values where the model's density is known.
module GenStats.Validation.Tests.FlowTests

open System
open System.Reflection
open Expecto
open GenStats.Models
open GenStats.Validation

let private normals (rnd: Random) n =
    Array.init n (fun _ ->
        sqrt (-2.0 * log (1.0 - rnd.NextDouble()))
        * cos (2.0 * Math.PI * rnd.NextDouble()))

let ``Flow.defaults converts to FlowOptions() field by field`` () =
    let e, a = FlowOptions(), Flow.toOptions Flow.defaults

    for p in typeof<FlowOptions>.GetProperties(BindingFlags.Public ||| BindingFlags.Instance) do
        if p.Name <> "EqualityContract" then
            match p.GetValue e, p.GetValue a with
            | (:? Array as ea), (:? Array as aa) -> Expect.sequenceEqual (Seq.cast<obj> aa) (Seq.cast<obj> ea) p.Name
            | ev, av -> Expect.equal av ev p.Name

let ``KL of an untrained flow against N(0,1) truth equals the Gaussian closed form`` () =
    // Standard preprocessing and an untrained flow (its splines start as the identity; one step at
    // lr 1e−30 leaves them so): q = N(μ̂, σ̂²) with the training sample's μ̂, σ̂, read back from the
    // transform (z(0) = −μ̂/σ̂, z(1) − z(0) = 1/σ̂). KL(N(0,1) ‖ N(μ̂,σ̂²)) = log σ̂ + (1 + μ̂²)/(2σ̂²) − ½.
    let rnd = Random(41)
    let train = normals rnd 400 |> Array.map (fun v -> [| 0.3 + 1.5 * v |])

    let s =
        { Flow.defaults with
            Steps = 1
            LearningRate = 1e-30f
            FeatureTransform = GenStats.Data.TransformKind.Standard
            HeldOutFraction = 0.0
        }

    let model = (Flow.train s None None train).Model

    let z0, z1 =
        model.FeatureTransform.ForwardRow([| 0.0 |]).[0], model.FeatureTransform.ForwardRow([| 1.0 |]).[0]

    let sigma = 1.0 / (z1 - z0)
    let mu = -z0 * sigma
    let closed = log sigma + (1.0 + mu * mu) / (2.0 * sigma * sigma) - 0.5
    let truth = normals (Random(42)) 20000
    let logp = truth |> Array.map (fun v -> -0.5 * v * v - 0.5 * log (2.0 * Math.PI))
    let k = Flow.kl logp None (truth |> Array.map (fun v -> [| v |])) model

    Expect.isLessThan
        (abs (k.Value - closed))
        (4.0 * k.Error + 1e-5)
        $"KL {k.Value} ± {k.Error} vs closed form {closed}"
    // the same events as training and held-out sample: the gap is exactly 0
    let ev: Flow.Events = None, None, train
    let fit = Flow.overfitting ev ev model
    Expect.equal fit.Gap 0.0 "gap of a sample with itself"
    // NLL per event of N(μ̂, σ̂²) on its own training sample: on the preprocessed scale z = (x − μ̂)/σ̂,
    // ½ log 2π + ½ mean(z²); in the user's units log σ̂ more
    let zNll =
        0.5 * log (2.0 * Math.PI)
        + 0.5 * (train |> Array.averageBy (fun r -> (r[0] - mu) ** 2.0)) / (sigma * sigma)

    let raw = Flow.meanLogDensity None None train model
    Expect.floatClose Accuracy.medium -raw.PerEvent (zNll + log sigma) "NLL in the user's units"
    Expect.floatClose Accuracy.medium (fst fit.Train) zNll "training NLL, preprocessed scale"
    let section = Flow.likelihoodSection "flow" fit (Some k)
    Expect.equal section.Tables.Head.Rows.Length 4 "training, held-out, gap and KL rows"

[<Tests>]
let tests =
    testList
        "Flow"
        [
            testCase "Flow.defaults equals FlowOptions()" ``Flow.defaults converts to FlowOptions() field by field``
            testCase
                "KL and NLL of a flow with a known density"
                ``KL of an untrained flow against N(0,1) truth equals the Gaussian closed form``
        ]
