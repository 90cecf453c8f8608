/// The F# GAN and VAE modules train, sample deterministically and report histories; their F#
/// settings records carry the C# defaults and convert field by field.
module GenStats.Validation.Tests.GanTests

open System
open System.IO
open System.Reflection
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Data
open GenStats.Models
open GenStats.Validation

/// Every public property of two C# option records is equal (arrays element by element).
let private sameProperties (what: string) (expected: obj) (actual: obj) =
    for p in expected.GetType().GetProperties(BindingFlags.Public ||| BindingFlags.Instance) do
        if p.Name <> "EqualityContract" then
            match p.GetValue expected, p.GetValue actual with
            | (:? Array as e), (:? Array as a) ->
                Expect.sequenceEqual (Seq.cast<obj> a) (Seq.cast<obj> e) (sprintf "%s.%s" what p.Name)
            | e, a -> Expect.equal a e (sprintf "%s.%s" what p.Name)

let ``Gan wrappers train a small model and sample the same values for the same seed`` () =
    let rnd = Random(1)
    let x = Array.init 500 (fun _ -> [| rnd.NextDouble() * 2.0 - 1.0 |])
    let y = Array.init 500 (fun _ -> [| rnd.NextDouble() |])

    let o =
        { Gan.defaults with
            LatentSize = 2
            GeneratorLayers = [| 8 |]
            CriticLayers = [| 8 |]
            Steps = 5
            BatchSize = 64
            HeldOutFraction = 0.2
            EvaluateEvery = 5
        }
        |> Gan.withLoss GanLoss.WganGp

    let r = x |> Gan.train o None (Some y)
    let cond = Array.init 20 (fun i -> [| float i / 20.0 |])
    let a = r.Model |> Gan.sampleAt 3 cond
    Expect.isTrue (a = (r.Model |> Gan.sampleAt 3 cond)) "deterministic for a seed"
    Expect.equal a.Length 20 "a.Length"
    Expect.isTrue ((Gan.energyHistory r.History |> List.map fst) = [ 5L ]) "one evaluation at step 5"

    Expect.isTrue
        (a |> Array.forall (fun row -> row.Length = 1 && Double.IsFinite row.[0]))
        "one finite feature per event"

    Expect.isFalse (a = (r.Model |> Gan.sampleAt 4 cond)) "another seed gives other events"
    // The held-out energy distance is a distance: finite and ≥ 0 (an untrained 5-step generator is
    // far from the data, so it is also > 0).
    let _, energy = Gan.energyHistory r.History |> List.exactlyOne
    Expect.isTrue (Double.IsFinite energy && energy > 0.0) (sprintf "held-out energy distance %g" energy)

    let v =
        x
        |> Vae.train
            { Vae.defaults with
                Steps = 5
                LatentSize = 2
                EncoderLayers = [| 8 |]
                DecoderLayers = [| 8 |]
                // a density everywhere: with quantile-normal features the raw-scale ELBO of an event
                // outside the training range (the held-out split leaves some) is −∞
                FeatureTransform = GenStats.Data.TransformKind.Standard
            }
            None
            (Some y)

    let e = v.Model |> Vae.elbo 1 None (Some y) x
    Expect.isTrue (Double.IsFinite e.PerEvent) "Double.IsFinite e.PerEvent"

    Expect.equal
        (v.Model |> Vae.elbo 1 None (Some y) x).PerEvent
        e.PerEvent
        "the ELBO estimate is deterministic for a seed"

let ``trainOn a dataset with roles equals train on its arrays; save and load keep the samples`` () =
    let rnd = Random(2)
    let xs = Array.init 300 (fun _ -> rnd.NextDouble())
    let ys = Array.init 300 (fun _ -> rnd.NextDouble())

    let data =
        Data.create [| "x"; "y" |] [| xs; ys |] |> Data.withRoles [| "x" |] [| "y" |]

    let settings =
        { Gan.defaults with
            Steps = 3
            LatentSize = 2
            GeneratorLayers = [| 8 |]
            CriticLayers = [| 8 |]
            BatchSize = 32
        }

    let cond = Array.init 10 (fun i -> [| float i / 10.0 |])
    let onData = (Gan.trainOn settings data).Model

    let onArrays =
        (xs
         |> Array.map (fun x -> [| x |])
         |> Gan.train settings None (Some(ys |> Array.map (fun y -> [| y |]))))
            .Model

    Expect.equal
        (onData |> Gan.sampleAt 4 cond)
        (onArrays |> Gan.sampleAt 4 cond)
        "the same events from the same settings"

    let vae =
        (Vae.trainOn
            { Vae.defaults with
                Steps = 3
                LatentSize = 2
                EncoderLayers = [| 8 |]
                DecoderLayers = [| 8 |]
            }
            data)
            .Model

    let path =
        Path.Combine(Path.GetTempPath(), sprintf "genstats-fs-%s.gsm" (Guid.NewGuid().ToString "N"))

    try
        onData |> Gan.save path
        Expect.equal (Gan.load path |> Gan.sampleAt 4 cond) (onData |> Gan.sampleAt 4 cond) "GAN save/load"
        vae |> Vae.save path
        Expect.equal (Vae.load path |> Vae.sampleAt 4 cond) (vae |> Vae.sampleAt 4 cond) "VAE save/load"

        let e =
            Expectations.raises<ArgumentException> "Gan.load of a VAE file" (fun () -> Gan.load path |> ignore)

        Expectations.contains "not a ConditionalGan" e.Message "the error names the expected model type"
    finally
        File.Delete path

let ``the F# settings records carry the C# defaults and convert field by field`` () =
    sameProperties "GanOptions" (GanOptions()) (Gan.toOptions Gan.defaults)
    sameProperties "VaeOptions" (VaeOptions()) (Vae.toOptions Vae.defaults)

    let changed =
        { Gan.defaults with
            Steps = 10
            Epochs = Some 2.5
            CheckpointPath = Some "ck"
        }
        |> Gan.withLoss GanLoss.WganGp
        |> Gan.toOptions

    sameProperties
        "GanOptions with"
        (GanOptions(Steps = 10, Epochs = Nullable 2.5, CheckpointPath = "ck", Loss = GanLoss.WganGp))
        changed

    Expect.equal
        (Gan.ofOptions changed |> Gan.toOptions |> Gan.ofOptions)
        (Gan.ofOptions changed)
        "ofOptions ∘ toOptions round trip"

    let vae =
        { Vae.defaults with
            Beta = 0.5f
            Steps = 7
        }
        |> Vae.toOptions

    sameProperties "VaeOptions with" (VaeOptions(Beta = 0.5f, Steps = 7)) vae

let ``Gan.trainWithAux trains with an expression, records it in the model and names missing columns`` () =
    let data =
        GenStats.Physics.DimuonToy.Sample(300, 8).WithRoles(GenStats.Physics.DimuonToy.Features)

    let settings =
        { Gan.defaults with
            Steps = 3
            LatentSize = 2
            GeneratorLayers = [| 8 |]
            CriticLayers = [| 8 |]
            BatchSize = 32
        }

    let mass = "mass(pt1,eta1,phi1,pt2,eta2,phi2)"

    let r =
        data
        |> Gan.trainWithAux
            settings
            { Gan.auxiliary mass with
                Weight = 0.5f
            }

    Expect.equal r.Model.Auxiliary (AuxiliaryTerm(mass, 0.5f, StatisticDistance.Mmd, 0f)) "the model records the term"
    Expect.isTrue (r.History.Steps |> Seq.forall (fun s -> s.Losses.ContainsKey "aux")) "the aux loss at every step"

    let e =
        Expectations.raises<ArgumentException> "a column that is not a feature" (fun () ->
            data
            |> Gan.trainWithAux settings (Gan.auxiliary "mass(pt1,eta1,phi1,M,eta2,phi2)")
            |> ignore)

    Expectations.contains "'M'" e.Message "names the column"
    Expectations.contains "available: pt1, eta1, phi1, pt2, eta2, phi2" e.Message "lists the available ones"

[<Tests>]
let tests =
    testList
        "GanTests"
        [
            testCase
                "the F# settings records carry the C# defaults and convert field by field"
                ``the F# settings records carry the C# defaults and convert field by field``
            slow
                [
                    testCase
                        "Gan wrappers train a small model and sample the same values for the same seed"
                        ``Gan wrappers train a small model and sample the same values for the same seed``
                    testCase
                        "trainOn a dataset with roles equals train on its arrays; save and load keep the samples"
                        ``trainOn a dataset with roles equals train on its arrays; save and load keep the samples``
                    testCase
                        "Gan.trainWithAux trains with an expression, records it in the model and names missing columns"
                        ``Gan.trainWithAux trains with an expression, records it in the model and names missing columns``
                ]
        ]
