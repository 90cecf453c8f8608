/// Faults during a run, against the real process: a signal (SIGINT, SIGTERM) writes a checkpoint
/// and no model, kill -9 leaves at most a checkpoint, and `train --resume` then gives the model of
/// an uninterrupted run bit for bit; a temporary file a killed write left is removed by the next
/// write of the same target.
module GenStats.Tests.Cli.FaultTests

open System
open System.IO
open System.Runtime.InteropServices
open System.Threading
open Expecto
open GenStats.Tests.TestMain

[<DllImport("libc", SetLastError = true)>]
extern int kill(int pid, int signal)

let private SIGINT, SIGKILL, SIGTERM = 2, 9, 15

let private folder () =
    let dir =
        Path.Combine(Path.GetTempPath(), "genstats-cli-fault-" + Guid.NewGuid().ToString("N"))

    Directory.CreateDirectory dir |> ignore
    dir

/// 400 events of two independent N(0, 1) columns (System.Random, seed 5), 400 8 × 8 Gaussian
/// blobs whose total energy is the condition e (cell_r_c CSV), and small networks.
let private setup (dir: string) =
    let rnd = Random 5

    let normal () =
        sqrt (-2.0 * log (1.0 - rnd.NextDouble()))
        * cos (2.0 * Math.PI * rnd.NextDouble())

    File.WriteAllLines(
        Path.Combine(dir, "t.csv"),
        Array.append [| "a,b" |] (Array.init 400 (fun _ -> sprintf "%.6f,%.6f" (normal ()) (normal ())))
    )

    let blob () =
        let e = 1.0 + 4.0 * rnd.NextDouble()
        let cy, cx = 3.5 + 2.0 * rnd.NextDouble() - 1.0, 3.5 + 2.0 * rnd.NextDouble() - 1.0

        let v =
            Array.init 64 (fun k -> exp (-((float (k / 8) - cy) ** 2.0 + (float (k % 8) - cx) ** 2.0) / 2.88))

        let s = Array.sum v

        sprintf "%.6f," e
        + String.Join(",", v |> Array.map (fun x -> sprintf "%.6f" (e * x / s)))

    File.WriteAllLines(
        Path.Combine(dir, "cells.csv"),
        Array.append
            [|
                "e,"
                + String.Join(",", Array.init 64 (fun k -> sprintf "cell_%d_%d" (k / 8) (k % 8)))
            |]
            (Array.init 400 (fun _ -> blob ()))
    )

    File.WriteAllText(
        Path.Combine(dir, "conv.json"),
        """{"latentSize": 8, "generatorChannels": [16, 8], "criticChannels": [8, 16], "criticHidden": 16, "regressorChannels": [4, 8], "regressorSteps": 20, "batchSize": 32, "criticSteps": 1, "evaluateEvery": 100}"""
    )

    File.WriteAllText(
        Path.Combine(dir, "gan.json"),
        """{"generatorLayers": [16], "criticLayers": [16], "batchSize": 32, "criticSteps": 1}"""
    )

    File.WriteAllText(
        Path.Combine(dir, "vae.json"),
        // Wider than the GAN: a VAE step is cheaper, and the run must last long enough to be signalled mid-training.
        """{"encoderLayers": [64, 64], "decoderLayers": [64, 64], "batchSize": 128}"""
    )

/// The train command line; conv-gan reads the image file, which fixes its cells and conditions.
let private train (model: string) (extra: string list) (out: string) =
    let data =
        if model = "conv-gan" then
            [ "--data"; "cells.csv" ]
        else
            [ "--data"; "t.csv"; "--features"; "a,b" ]

    [ "train" ] @ data @ [ "--model"; model; "--out"; out ] @ extra

let private waitFor (what: string) (condition: unit -> bool) =
    let deadline = DateTime.UtcNow.AddSeconds 60.0

    while not (condition ()) do
        if DateTime.UtcNow > deadline then
            failtestf "timed out waiting for %s" what

        Thread.Sleep 50

/// Starts a training, waits until `ready` holds, sends `signal`, and returns (exit code, stderr).
let private interrupt (dir: string) (args: string list) (ready: unit -> bool) (signal: int) =
    use p = CliProcess.start dir [] args
    p.StandardInput.Close()
    let out = p.StandardOutput.ReadToEndAsync()
    let err = p.StandardError.ReadToEndAsync()
    waitFor "the training to start" (fun () -> ready () || p.HasExited)
    Expect.isFalse p.HasExited "the run was still going when signalled (make it longer)"
    let sent = kill (p.Id, signal)
    Expect.equal sent 0 (sprintf "kill (errno %d, exited %b)" (Marshal.GetLastWin32Error()) p.HasExited)
    Expect.isTrue (p.WaitForExit 60000) "the process ends after the signal"
    out.Result |> ignore
    p.ExitCode, err.Result

let private hidden (dir: string) =
    Directory.GetFiles(dir, ".*.tmp") |> Array.map Path.GetFileName

let private resumeGivesTheUninterruptedModelIn
    (steps: int)
    (model: string)
    (config: string)
    (signal: int)
    (checkpointEvery: string list)
    =
    let dir = folder ()

    try
        setup dir
        let common = [ "--config"; config; "--steps"; string steps ] @ checkpointEvery

        let clock = Diagnostics.Stopwatch.StartNew()

        let full =
            CliProcess.run dir [] (TimeSpan.FromMinutes 2.0) (train model common "full.gsm")

        // The signal lands half-way through a run as long as the uninterrupted one: mid-training
        // however fast the machine (start-up is a small part of it), never after the last step.
        let halfRun = 0.5 * clock.Elapsed.TotalSeconds

        Expect.equal full.ExitCode 0 full.Stderr
        let checkpoint = Path.Combine(dir, "part.gsm.ckpt")

        // Signalled half-way (SIGINT/SIGTERM), or once a periodic checkpoint exists (kill -9).
        let started = DateTime.UtcNow

        let ready () =
            if signal = SIGKILL then
                File.Exists checkpoint
            else
                (DateTime.UtcNow - started).TotalSeconds > halfRun

        let code, err = interrupt dir (train model common "part.gsm") ready signal

        Expect.isFalse
            (File.Exists(Path.Combine(dir, "part.gsm")))
            (sprintf "no model file after the interruption (exit %d, %s)" code err)

        Expect.isTrue (File.Exists checkpoint) "a checkpoint"

        if signal = SIGKILL then
            Expect.equal code 137 "killed"
        else
            Expect.equal code 130 "exit code 130 after a signal"
            Expect.stringContains err "cancelled at step" "the step"
            Expect.stringContains err "Continue with: genstats train --resume" "the resume command"
            Expect.isEmpty (hidden dir) "no temporary file after a signal"

        let resumed =
            CliProcess.run dir [] (TimeSpan.FromMinutes 2.0) (train model [ "--resume"; "part.gsm.ckpt" ] "part.gsm")

        Expect.equal resumed.ExitCode 0 resumed.Stderr

        let a, b =
            File.ReadAllBytes(Path.Combine(dir, "full.gsm")), File.ReadAllBytes(Path.Combine(dir, "part.gsm"))

        Expect.isTrue
            (a.AsSpan().SequenceEqual(ReadOnlySpan b))
            "the resumed model file equals the uninterrupted one byte for byte"

        Expect.isEmpty (hidden dir) "no temporary file after the resumed run"
    finally
        Directory.Delete(dir, true)

let private resumeGivesTheUninterruptedModel =
    resumeGivesTheUninterruptedModelIn 2000

/// A temporary file named as AtomicFile names them, of a process id that cannot be running.
let ``a temporary file left by a killed write is removed by the next write of the same target`` () =
    let dir = folder ()

    try
        let stale = Path.Combine(dir, ".t.csv.2147483646.0123456789abcdef.tmp")
        File.WriteAllText(stale, "half a table")
        let other = Path.Combine(dir, ".u.csv.2147483646.0123456789abcdef.tmp")
        File.WriteAllText(other, "another target's")

        let r =
            CliProcess.run dir [] (TimeSpan.FromMinutes 1.0) [ "toy"; "ring"; "--events"; "10"; "--out"; "t.csv" ]

        Expect.equal r.ExitCode 0 r.Stderr
        Expect.isFalse (File.Exists stale) "the stale temporary file of t.csv is gone"
        Expect.isTrue (File.Exists other) "another target's temporary file is left alone"
    finally
        Directory.Delete(dir, true)

[<Tests>]
let tests =
    testList
        "faults"
        [
            testCase
                "a temporary file left by a killed write is removed by the next write of the same target"
                ``a temporary file left by a killed write is removed by the next write of the same target``
            slow
                [
                    testCase
                        "GAN: SIGINT writes a checkpoint and no model; --resume gives the uninterrupted model bit for bit"
                    <| fun () -> resumeGivesTheUninterruptedModel "cramer" "gan.json" SIGINT []
                    testCase
                        "VAE: SIGTERM writes a checkpoint and no model; --resume gives the uninterrupted model bit for bit"
                    <| fun () -> resumeGivesTheUninterruptedModel "vae" "vae.json" SIGTERM []
                    testCase
                        "GAN: kill -9 during a checkpointed run, then --resume, gives the uninterrupted model bit for bit"
                    <| fun () ->
                        resumeGivesTheUninterruptedModel "cramer" "gan.json" SIGKILL [ "--checkpoint-every"; "100" ]
                    // 200 steps of tiny conv networks on 8 × 8 images, three runs (full, cut, resumed): ~25 s on 2 loaded cores.
                    testCase
                        "conv-gan: SIGTERM writes a checkpoint and no model; --resume gives the uninterrupted model bit for bit"
                    <| fun () -> resumeGivesTheUninterruptedModelIn 200 "conv-gan" "conv.json" SIGTERM []
                ]
        ]
