/// Conv-GAN checkpoints: a run stopped (cancelled) mid-way and resumed from its checkpoint ends in
/// exactly the state of an uninterrupted run — the final checkpoints (live and EMA generators with
/// their BatchNorm running statistics, critic, frozen regressor, kept-best generator, both Adam
/// states, RNG position, history) are byte for byte the same file, and the models sample the same
/// images. Wrong data and wrong files are refused with the reason.
module GenStats.Tests.Models.ConvGanCheckpointTests

open Expecto
open System
open System.IO
open System.Threading
open GenStats.Models
open GenStats.Tests.Models.ConvGanTests

let private temp name =
    Path.Combine(Path.GetTempPath(), sprintf "convgan-ckpt-%s-%s.gsp" name (Guid.NewGuid().ToString("N")))

/// Tiny networks on 8 × 8 blobs with everything that carries state switched on: EMA, the
/// regressor, held-out evaluations every 2 steps with the kept-best generator (and, when asked, the
/// critic's shower summaries, whose standardisation is refitted from the data on resume).
let private optionsWith summaries checkpoint every =
    tinyRunWith summaries 0.2 2 checkpoint every 6 8 2 1e-3f 10 0.9f

let private options = optionsWith false

let private data () =
    let images, cond = blobs (Random(5)) 40 8 8
    images, cond

let resumedRunIsBitIdentical (summaries: bool) =
    let options = optionsWith summaries
    let images, cond = data ()
    let a, b = temp "a", temp "b"

    try
        // Uninterrupted, checkpoints every 2 steps; the last one (step 6) stays.
        let ra = ConvGanTrainer.Train(images, 8, 8, cond, null, options a 2, [| "e" |])

        // Interrupted: 3 steps (a checkpoint at step 2), then a cancellation writes it at step 3.
        let t = ConvGanTrainer.Create(images, 8, 8, cond, null, options b 2, [| "e" |])
        t.RunTo 3L
        use cts = new CancellationTokenSource()
        cts.Cancel()
        Expect.throwsT<OperationCanceledException> (fun () -> t.RunTo(6L, null, cts.Token)) "cancelled"
        Expect.isTrue (File.Exists b) "the cancellation wrote a checkpoint"
        let opened = ConvGanTrainer.Open(b, images, 8, 8, cond, null)
        Expect.equal opened.Step 3L "positioned at the checkpoint's step"
        let rb = opened.Run()
        Expect.equal rb.Steps 6L "resumed to the planned steps"
        Expect.equal rb.SelectedStep ra.SelectedStep "the same kept-best step"
        Expect.isTrue (ra.SelectedStep > 0L) "an evaluated generator was kept"
        Expect.equal (File.ReadAllBytes b) (File.ReadAllBytes a) "the final checkpoints are the same bytes"
        let c = [| [| 2.0 |]; [| 4.5 |] |]
        Expect.equal (rb.Model.SampleImages(c, 3)) (ra.Model.SampleImages(c, 3)) "the models sample the same images"
        Expect.equal rb.Model.RegressorMse ra.Model.RegressorMse "the regressor's MSE carried over"
        Expect.equal rb.History.Steps.Count 6 "the history continues"
    finally
        File.Delete a
        File.Delete b

let ``resume refuses other data and other files`` () =
    let images, cond = data ()
    let path = temp "c"

    try
        ConvGanTrainer.Train(images, 8, 8, cond, null, options path 0, [| "e" |])
        |> ignore

        let other = Array.copy images
        other[10] <- other[10] + 1f

        Expect.throwsT<InvalidDataException>
            (fun () -> ConvGanTrainer.Open(path, other, 8, 8, cond, null) |> ignore)
            "other images: fingerprint mismatch"

        Expect.throwsT<InvalidDataException>
            (fun () -> ConvGanTrainer.Open(path, images, 16, 4, cond, null) |> ignore)
            "another image size"

        Expect.throwsT<InvalidDataException>
            (fun () -> ConvGanTrainer.Open(path, images, 8, 8, cond, Array.create 40 2.0) |> ignore)
            "other weights"

        GenStats.Nn.ParameterFile.Save(path, [||], readOnlyDict [ "kind", "gan-checkpoint" ])

        Expect.throwsT<InvalidDataException>
            (fun () -> ConvGanTrainer.Open(path, images, 8, 8, cond, null) |> ignore)
            "a checkpoint of another kind"
    finally
        File.Delete path

[<Tests>]
let tests =
    testList
        "Models.ConvGanCheckpoint"
        [
            testCase "a resumed run ends bit-identical to an uninterrupted one" (fun () ->
                resumedRunIsBitIdentical false)
            testCase "… also with the critic's shower summaries" (fun () -> resumedRunIsBitIdentical true)
            testCase "resume refuses other data and other files" ``resume refuses other data and other files``
        ]
