module GenStats.Tests.Validation.EnsembleTests

open System
open System.Diagnostics
open System.IO
open System.Text.Json.Nodes
open Expecto
open GenStats.Data
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Validation
open GenStats.Validation.Ensembles
open GenStats.Validation.FiguresOfMerit

/// A fresh folder under the system temp directory, deleted after the test.
let private withTemp (body: string -> unit) =
    let dir =
        Path.Combine(Path.GetTempPath(), "genstats-ensemble-" + Guid.NewGuid().ToString("N"))

    Directory.CreateDirectory dir |> ignore

    try
        body dir
    finally
        try
            Directory.Delete(dir, true)
        with _ ->
            ()

/// The bimodal toy ½(N(−4,1) + N(4,1)) with unequal weights 1, 1.5, 2 (so the replica weights
/// multiply a real weight column), written as CSV; returns x and w.
let private bimodalTable (path: string) (n: int) =
    let x = Physics.bimodalValues 2026 n
    let w = Array.init n (fun i -> 1.0 + 0.5 * float (i % 3))
    Csv.Write(Dataset.Create([| "x"; "w" |], [| x; w |]), path)
    x, w

let private cli (args: string list) =
    let code, out, err = Repository.runCli args
    Expect.equal code 0 (sprintf "genstats %s exited %d:\n%s\n%s" (String.Join(" ", args)) code out err)
    out

/// The propagation numbers of a gather's JSON: (member values, member uncertainties, central,
/// systematic, pulls).
let private gathered (json: string) =
    let p = JsonNode.Parse(File.ReadAllText json).["numbers"].["propagation"]

    let members =
        p.["Members"].AsArray() |> Seq.map (fun m -> m.["Result"]) |> Array.ofSeq

    let num (n: JsonNode) = n.GetValue<float>()

    members |> Array.map (fun r -> num r.["Value"]),
    members |> Array.map (fun r -> num r.["Uncertainty"]),
    num p.["Central"],
    num p.["Systematic"],
    p.["Pulls"].AsArray() |> Seq.map num |> Array.ofSeq

let private ensembleArgs (data: string) (dir: string) (rest: string list) =
    let fixedArgs =
        "--features x --weight w --model kde --members 4 --seed 7".Split ' '
        |> List.ofArray

    [ "ensemble"; "--data"; data; "--out"; dir ] @ fixedArgs @ rest

let private gatherArgs (dir: string) =
    [
        "ensemble"
        "gather"
        "--out"
        dir
        "--quantity"
        "mean(x)"
        "--events"
        "2000"
        "--truth"
        "0"
    ]

/// The in-process ensemble: Propagation.run with a KDE per replica, each sampled with its seed.
let private inProcess (x: float[]) (w: float[]) =
    let rows = x |> Array.map (fun v -> [| v |])

    Propagation.run 4 7 x.Length (Some w) (Some 0.0) ignore (fun _ seed replica ->
        let g =
            rows
            |> Kde.train Kde.defaults seed (Some replica) None
            |> Kde.sample seed 2000
            |> Array.map (fun r -> r.[0])

        {
            Value = Descriptive.mean None g
            Uncertainty = Descriptive.standardError None g
        })

let private expectSame
    (expected: Propagation.Summary)
    (values, uncertainties, central, systematic, pulls)
    (what: string)
    =
    // Bit for bit: the doubles themselves, not a tolerance (JSON keeps doubles round-trip exact).
    let inProc = expected.Members |> List.map (fun m -> m.Result.Value) |> Array.ofList
    Expect.isTrue (inProc = values) (sprintf "%s: member values %A, in-process %A" what values inProc)

    Expect.isTrue
        ((expected.Members |> List.map (fun m -> m.Result.Uncertainty) |> Array.ofList) = uncertainties)
        (what + ": member uncertainties")

    Expect.isTrue
        (expected.Central = central)
        (sprintf "%s: central %.17g, in-process %.17g" what central expected.Central)

    Expect.isTrue (expected.Systematic = systematic) (what + ": systematic")
    Expect.isTrue (expected.Pulls = pulls) (what + ": pulls")

let ``the local runner's ensemble equals the in-process Propagation bit for bit`` () =
    withTemp (fun tmp ->
        let data = Path.Combine(tmp, "bimodal.csv")
        let x, w = bimodalTable data 300
        let dir = Path.Combine(tmp, "ens")
        cli (ensembleArgs data dir [ "--parallel"; "2" ]) |> ignore
        cli (gatherArgs dir) |> ignore
        let expected = inProcess x w
        // The members really differ (a replica or seed ignored would make them equal).
        Expect.equal
            (expected.Members
             |> List.map (fun m -> m.Result.Value)
             |> List.distinct
             |> List.length)
            4
            "4 distinct members"

        expectSame expected (gathered (Path.Combine(dir, "ensemble.json"))) "local runner"
        // Idempotent: a second run trains nothing.
        let again = cli [ "ensemble"; "--out"; dir ]
        Expect.stringContains again "every member is done" "rerun of a finished ensemble")

let ``a killed member leaves no member file and is retrained on resubmission`` () =
    withTemp (fun tmp ->
        let data = Path.Combine(tmp, "bimodal.csv")
        // More events than one GAN batch (256): train refuses fewer.
        bimodalTable data 400 |> ignore
        let dir = Path.Combine(tmp, "ens")
        // A small Cramér GAN: 400 steps take seconds, long enough to be killed mid-training.
        let words (text: string) = text.Split ' ' |> List.ofArray

        cli (
            [ "ensemble"; "--data"; data; "--out"; dir; "--dry-run" ]
            @ words "--features x --model cramer --steps 400 --members 2"
        )
        |> ignore

        let psi =
            ProcessStartInfo("dotnet", RedirectStandardOutput = true, RedirectStandardError = true)

        for a in
            [
                Repository.file [ "src"; "GenStats.Cli"; "bin"; "Release"; "net10.0"; "genstats.dll" ]
                "ensemble"
                "member"
                "--out"
                dir
                "--index"
                "0"
            ] do
            psi.ArgumentList.Add a

        use p = Process.Start psi
        let mutable line = p.StandardOutput.ReadLine()

        while not (isNull line) && not (line.StartsWith "member 0 of") do
            line <- p.StandardOutput.ReadLine()

        Threading.Thread.Sleep 1500

        if p.HasExited then
            failtestf "member 0 ended (exit %d) before it could be killed; raise --steps" p.ExitCode

        p.Kill true
        p.WaitForExit()
        let model = Members.modelPath dir 0
        let record = Members.recordPath dir 0
        Expect.isFalse (File.Exists model) "no model file after the kill"
        Expect.isFalse (File.Exists record) "no member JSON after the kill"
        // What a kill during the rename's write would leave: AtomicFile's temp file, never the member file.
        let stale = Path.Combine(Members.folder dir, ".member-0000.gsm.1234.0123abcd.tmp")
        Directory.CreateDirectory(Members.folder dir) |> ignore
        File.WriteAllText(stale, "half")
        let status = Ensemble.status dir
        Expect.equal status.Missing [ 0; 1 ] "both members missing"
        // Resubmission through the F# runner: the local processes train exactly the missing members.
        let genstats =
            [
                "dotnet"
                Repository.file [ "src"; "GenStats.Cli"; "bin"; "Release"; "net10.0"; "genstats.dll" ]
            ]

        let final = Ensemble.run genstats (Runners.Local 2) dir (Manifest.read dir)
        Expect.isTrue (File.Exists model && File.Exists record) "member 0's files after the retrain"
        Expect.isFalse (File.Exists stale) "the stale temp file was removed"
        Expect.equal (final.Done |> List.map (fun r -> r.Index)) [ 0; 1 ] "both done")

let ``array specifications join consecutive members`` () =
    // Hand-computed: 0,1,2 is a run, 5 alone, 7-8 a run; order and duplicates do not matter.
    Expect.equal (Members.arraySpec [ 8; 0; 1; 2; 5; 7; 2 ]) "0-2,5,7-8" "spec"
    Expect.equal (Members.arraySpec [ 3 ]) "3" "single"

let private manifest data =
    {
        Manifest.Data = data
        Manifest.Features = [ "x" ]
        Manifest.Conditions = [ "y" ]
        Manifest.Weight = Some "w"
        Manifest.Model = "cramer"
        Manifest.Config = Some """{"criticSteps": 5}"""
        Manifest.Transform = Some "x=log"
        Manifest.Steps = Some 10
        Manifest.Aux = Some "mass(x,x,x,y,y,y)"
        Manifest.AuxWeight = Some 0.5
        Manifest.AuxDistance = Some "energy"
        Manifest.Members = 3
        Manifest.Seed = 11
    }

let ``the manifest round-trips and another ensemble is refused in the same folder`` () =
    withTemp (fun dir ->
        let m = Manifest.create dir (manifest (Path.Combine(dir, "t.csv")))
        Expect.equal (Manifest.read dir) m "read back"
        Expect.equal (Manifest.create dir m) m "the same ensemble again is fine"

        Expectations.raises<ArgumentException> "Manifest.create dir { m with Seed = 12 }" (fun () ->
            Manifest.create dir { m with Seed = 12 } |> ignore)
        |> ignore)

let ``the Slurm script runs the member line once per array task`` () =
    let options =
        { Runners.slurmDefaults with
            Partition = Some "short"
            Time = Some "01:00:00"
            Memory = Some "2G"
            Cpus = Some 4
            Setup = [ "module load dotnet" ]
        }

    let script =
        Runners.slurmScript [ "dotnet"; "/opt/genstats.dll" ] options "/shared/ens" 20

    for line in
        [
            "#SBATCH --array=0-19"
            "#SBATCH --partition=short"
            "#SBATCH --time=01:00:00"
            "#SBATCH --mem=2G"
            "#SBATCH --cpus-per-task=4"
            "module load dotnet"
            "exec dotnet /opt/genstats.dll ensemble member --out /shared/ens --index \"$SLURM_ARRAY_TASK_ID\""
        ] do
        Expect.stringContains script line line

    Expect.equal
        (Runners.sbatchArguments "/shared/ens" [ 2; 7; 3 ])
        [ "--array=2-3,7"; "--parsable"; "/shared/ens/ensemble.sbatch" ]
        "resubmission of members 2, 3 and 7"

let ``quantities parse, print back and measure`` () =
    for text in
        [
            "mean(x)"
            "fraction(x > 5)"
            "fraction(mass(pt1,eta1,phi1,pt2,eta2,phi2) < 91.5)"
        ] do
        Expect.equal (Quantity.describe (Quantity.parse text)) text text

    let d = Dataset.Create([| "x" |], [| [| 1.0; 2.0; 6.0; 7.0 |] |])
    // Hand-computed: mean 4, standard error √(var/n) = √(26/3 / 4); 2 of 4 above 5.
    let m = Quantity.evaluate (Quantity.parse "mean(x)") d
    Expect.floatClose Accuracy.veryHigh m.Value 4.0 "mean"
    Expect.floatClose Accuracy.veryHigh m.Uncertainty (sqrt (26.0 / 3.0 / 4.0)) "standard error"
    Expect.floatClose Accuracy.veryHigh (Quantity.evaluate (Quantity.parse "fraction(x > 5)") d).Value 0.5 "fraction"

    for bad in [ "median(x)"; "fraction(x)"; "fraction(x > y)"; "mean()" ] do
        Expectations.raises<ArgumentException> bad (fun () -> Quantity.parse bad |> ignore)
        |> ignore

/// Runs a program: exit code and stdout + stderr; a missing program is code 127.
let private run (program: string) (args: string list) =
    try
        let psi =
            ProcessStartInfo(program, RedirectStandardOutput = true, RedirectStandardError = true)

        for a in args do
            psi.ArgumentList.Add a

        use p = Process.Start psi
        let out = p.StandardOutput.ReadToEndAsync()
        let err = p.StandardError.ReadToEnd()
        p.WaitForExit()
        p.ExitCode, out.Result + err
    with :? ComponentModel.Win32Exception as e ->
        127, e.Message

let ``Slurm: a cancelled member is resubmitted and the gathered result equals the local runner's`` () =
    // Needs a Slurm controller: scripts/test.sh starts one (scripts/slurm-local.sh start). Without
    // it this test fails and says why — it never passes unnoticed.
    match run "sinfo" [ "-h"; "-o"; "%T" ] with
    | 0, states when states.Contains "idle" || states.Contains "mixed" || states.Contains "alloc" -> ()
    | code, text ->
        failtestf
            "no Slurm cluster answers here (sinfo exit %d: %s). scripts/test.sh starts a single-node one with scripts/slurm-local.sh start (needs root and apt-get for slurm-wlm and munge); by hand: eval \"$(scripts/slurm-local.sh start | tail -1)\" before running the tests."
            code
            (text.Trim())

    withTemp (fun tmp ->
        let data = Path.Combine(tmp, "bimodal.csv")
        bimodalTable data 300 |> ignore
        let local = Path.Combine(tmp, "local")
        cli (ensembleArgs data local [ "--parallel"; "2" ]) |> ignore
        cli (gatherArgs local) |> ignore
        // One member per node at a time (all its CPUs), so the last one is still pending when cancelled.
        let cpus = string Environment.ProcessorCount
        let dir = Path.Combine(tmp, "slurm")
        let out = cli (ensembleArgs data dir [ "--runner"; "slurm"; "--cpus"; cpus ])

        let job =
            Text.RegularExpressions.Regex.Match(out, "submitted Slurm job (\\d+)").Groups.[1].Value

        Expect.isNotEmpty job (sprintf "a job id in: %s" out)
        let code, text = run "scancel" [ job + "_3" ]
        Expect.equal code 0 ("scancel: " + text)

        let afterCancel =
            Ensemble.wait (TimeSpan.FromSeconds 0.5) (TimeSpan.FromSeconds 60.0) dir

        Expect.equal afterCancel.Missing [ 3 ] (sprintf "member 3 cancelled: %s" (Ensemble.describe afterCancel))
        // Resubmission: only member 3 goes to Slurm again.
        let again =
            cli [ "ensemble"; "--out"; dir; "--runner"; "slurm"; "--cpus"; cpus; "--wait" ]

        Expect.stringContains again "members 3 of 4" "only the cancelled member is resubmitted"
        Expect.stringContains again "4/4 done" "every member done"
        cli (gatherArgs dir) |> ignore
        let l = gathered (Path.Combine(local, "ensemble.json"))

        let values, uncertainties, central, systematic, pulls =
            gathered (Path.Combine(dir, "ensemble.json"))

        let lv, lu, lc, ls, lp = l
        Expect.isTrue (values = lv) (sprintf "member values: Slurm %A, local %A" values lv)
        Expect.isTrue (uncertainties = lu) "member uncertainties"
        Expect.isTrue ((central, systematic) = (lc, ls)) (sprintf "central %.17g vs %.17g" central lc)
        Expect.isTrue (pulls = lp) "pulls")

[<Tests>]
let tests =
    testList
        "Ensemble"
        [
            testCase "array specifications join consecutive members" ``array specifications join consecutive members``
            testCase
                "the manifest round-trips and another ensemble is refused in the same folder"
                ``the manifest round-trips and another ensemble is refused in the same folder``
            testCase
                "the Slurm script runs the member line once per array task"
                ``the Slurm script runs the member line once per array task``
            testCase "quantities parse, print back and measure" ``quantities parse, print back and measure``
            slow
                [
                    testCase
                        "the local runner's ensemble equals the in-process Propagation bit for bit"
                        ``the local runner's ensemble equals the in-process Propagation bit for bit``
                    testCase
                        "a killed member leaves no member file and is retrained on resubmission"
                        ``a killed member leaves no member file and is retrained on resubmission``
                    testCase
                        "Slurm: a cancelled member is resubmitted and the gathered result equals the local runner's"
                        ``Slurm: a cancelled member is resubmitted and the gathered result equals the local runner's``
                ]
        ]
