/// Runners of an ensemble's members. Every runner starts the same member command line,
/// `GENSTATS ensemble member --out DIR --index i`, so adding a batch system is a mapping of that line
/// (docs/ensembles.md has an HTCondor submit file). Members already done are never started again.
module GenStats.Validation.Ensembles.Runners

open System
open System.Diagnostics
open System.IO
open System.Threading.Tasks
open GenStats.Validation.Ensembles

/// Slurm resources of one member (one array task); None leaves the cluster's default.
type SlurmOptions =
    {
        Partition: string option
        /// Wall-time limit in a Slurm time format, e.g. "02:00:00".
        Time: string option
        /// Memory per task, e.g. "4G".
        Memory: string option
        /// CPUs per task (the member's threads).
        Cpus: int option
        /// Lines run before the member in each task, e.g. "module load dotnet/10".
        Setup: string list
    }

/// Slurm defaults: the cluster's partition, time, memory and CPUs, no setup lines.
let slurmDefaults =
    {
        Partition = None
        Time = None
        Memory = None
        Cpus = None
        Setup = []
    }

/// How the members run: Local n = at most n member processes at once on this host; Slurm = one
/// `sbatch --array` task per member.
type Runner =
    | Local of processes: int
    | Slurm of SlurmOptions

/// The member command line: the genstats command (e.g. ["dotnet"; "/path/genstats.dll"] or a
/// self-contained ["/path/genstats"]) followed by `ensemble member --out DIR --index i`.
let memberCommand (genstats: string list) (dir: string) (index: int) =
    if List.isEmpty genstats then
        invalidArg (nameof genstats) "the genstats command is empty; give e.g. [\"dotnet\"; \"/path/genstats.dll\"]."

    genstats
    @ [ "ensemble"; "member"; "--out"; Path.GetFullPath dir; "--index"; string index ]

/// Quotes a word for bash (single quotes; an embedded ' becomes '\'').
let shellQuote (word: string) =
    if
        word.Length > 0
        && word |> Seq.forall (fun c -> Char.IsLetterOrDigit c || "/._-=:,+@%".Contains c)
    then
        word
    else
        "'" + word.Replace("'", "'\\''") + "'"

let private start (genstats: string list) (dir: string) (index: int) =
    let line = memberCommand genstats dir index

    let psi =
        ProcessStartInfo(List.head line, RedirectStandardOutput = true, RedirectStandardError = true)

    for a in List.tail line do
        psi.ArgumentList.Add a

    let log = Members.logPath dir index
    Directory.CreateDirectory(Path.GetDirectoryName log) |> ignore
    let writer = new StreamWriter(log, false)
    let p = new Process(StartInfo = psi)
    let gate = obj ()

    let append (e: DataReceivedEventArgs) =
        if not (isNull e.Data) then
            lock gate (fun () -> writer.WriteLine e.Data)

    p.OutputDataReceived.Add append
    p.ErrorDataReceived.Add append
    p.Start() |> ignore
    p.BeginOutputReadLine()
    p.BeginErrorReadLine()
    p, writer

/// Runs the given members as local processes, at most `processes` at once, each one's output in
/// DIR/logs/member-NNNN.log; onExit index exitCode reports each as it ends. Returns the indices
/// whose process failed (non-zero exit), in order.
let runLocal (genstats: string list) (processes: int) (dir: string) (indices: int list) (onExit: int -> int -> unit) =
    if processes < 1 then
        invalidArg
            (nameof processes)
            (sprintf "processes is %d; give at least 1 process at a time (--parallel)." processes)

    let queue = Collections.Concurrent.ConcurrentQueue<int>(indices)
    let failed = Collections.Concurrent.ConcurrentBag<int>()

    let worker () =
        task {
            let mutable next = 0

            while queue.TryDequeue(&next) do
                let p, writer = start genstats dir next
                do! p.WaitForExitAsync()
                p.WaitForExit() // returns after the asynchronous output readers have finished
                writer.Dispose()
                let code = p.ExitCode
                p.Dispose()

                if code <> 0 then
                    failed.Add next

                lock queue (fun () -> onExit next code)
        }

    Task.WaitAll([| for _ in 1 .. min processes (max 1 indices.Length) -> worker () :> Task |])
    failed |> Seq.sort |> List.ofSeq

/// DIR/ensemble.sbatch.
let slurmScriptPath (dir: string) =
    Path.Combine(Path.GetFullPath dir, "ensemble.sbatch")

/// The sbatch script of the whole ensemble: an array 0-(K−1), one member per task, its output in
/// DIR/logs/member-NNNN.slurm.out. Submissions pass `--array=` with the members still to train,
/// which overrides the script's line, so the script never changes when members are resubmitted.
let slurmScript (genstats: string list) (options: SlurmOptions) (dir: string) (members: int) =
    let dir = Path.GetFullPath dir

    let line =
        memberCommand genstats dir 0
        |> List.map shellQuote
        |> List.truncate (List.length genstats + 4)
        |> String.concat " "

    [
        yield "#!/bin/bash"
        yield "#SBATCH --job-name=genstats-ensemble"
        yield sprintf "#SBATCH --array=0-%d" (members - 1)
        yield sprintf "#SBATCH --output=%s" (Path.Combine(dir, "logs", "member-%4a.slurm.out"))
        yield "#SBATCH --ntasks=1"
        yield!
            [
                options.Partition |> Option.map (sprintf "--partition=%s")
                options.Time |> Option.map (sprintf "--time=%s")
                options.Memory |> Option.map (sprintf "--mem=%s")
                options.Cpus |> Option.map (sprintf "--cpus-per-task=%d")
            ]
            |> List.choose (Option.map ((+) "#SBATCH "))
        yield "# One ensemble member per array task; a finished member exits at once (idempotent)."
        // No `set -u`: module systems' init scripts read unset variables.
        yield "set -eo pipefail"
        yield! options.Setup
        yield sprintf "exec %s --index \"$SLURM_ARRAY_TASK_ID\"" line
    ]
    |> String.concat "\n"
    |> fun s -> s + "\n"

/// Runs a program, returning (exit code, stdout, stderr); a missing program is exit code 127.
let internal capture (program: string) (args: string list) =
    let psi =
        ProcessStartInfo(program, RedirectStandardOutput = true, RedirectStandardError = true)

    for a in args do
        psi.ArgumentList.Add a

    try
        use p = Process.Start psi
        let out = p.StandardOutput.ReadToEndAsync()
        let err = p.StandardError.ReadToEnd()
        p.WaitForExit()
        p.ExitCode, out.Result, err
    with :? ComponentModel.Win32Exception as e ->
        127, "", sprintf "%s: %s" program e.Message

/// The sbatch command line that submits the given members of the script.
let sbatchArguments (dir: string) (indices: int list) =
    [
        sprintf "--array=%s" (Members.arraySpec indices)
        "--parsable"
        slurmScriptPath dir
    ]

/// DIR/slurm-jobs.txt: the job ids this ensemble submitted, one a line.
let jobsPath (dir: string) = Path.Combine(dir, "slurm-jobs.txt")

/// The job ids submitted so far.
let submittedJobs (dir: string) =
    let f = jobsPath dir

    if File.Exists f then
        File.ReadAllLines f
        |> Array.map (fun s -> s.Trim())
        |> Array.filter ((<>) "")
        |> List.ofArray
    else
        []

/// Submits the members with sbatch and records the job id; fails with sbatch's own message.
let submitSlurm (dir: string) (indices: int list) =
    let code, out, err = capture "sbatch" (sbatchArguments dir indices)

    if code <> 0 then
        invalidOp (sprintf "sbatch failed (exit %d): %s" code (err.Trim()))

    let job = out.Trim().Split(';').[0]
    File.AppendAllText(jobsPath dir, job + "\n")
    job

/// Job states of tasks that will not run again (squeue lists them for MinJobAge after the end).
let private ended =
    set
        [
            "COMPLETED"
            "CANCELLED"
            "FAILED"
            "TIMEOUT"
            "NODE_FAIL"
            "OUT_OF_MEMORY"
            "PREEMPTED"
            "BOOT_FAIL"
            "DEADLINE"
        ]

/// The array tasks of this ensemble's jobs that Slurm still holds (queued or running), as
/// index → state (e.g. PENDING, RUNNING), from `squeue`; None when squeue is not available.
let slurmQueue (dir: string) =
    match submittedJobs dir with
    | [] -> Some Map.empty
    | jobs ->
        let ask () =
            capture "squeue" [ "-h"; "-r"; "-j"; String.Join(",", jobs); "-o"; "%K %T" ]

        // squeue says "Invalid job id" when every listed job has left the queue: nothing queued.
        // Any other failure (a busy controller) is retried, then reported as no answer.
        let gone (code, _, (err: string)) =
            code <> 0 && err.Contains "Invalid job id"

        let rec answer tries =
            let (code, _, _) as r = ask ()

            if code = 0 || code = 127 || gone r || tries = 0 then
                r
            else
                Threading.Thread.Sleep 1000
                answer (tries - 1)

        let (code, out, _) as r = answer 3

        if code = 127 || (code <> 0 && not (gone r)) then
            None
        else
            out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            |> Array.choose (fun line ->
                match line.Trim().Split(' ') with
                | [| k; state |] when not (ended.Contains state) ->
                    match Int32.TryParse k with
                    | true, i -> Some(i, state)
                    | _ -> None
                | _ -> None)
            |> Map.ofArray
            |> Some
