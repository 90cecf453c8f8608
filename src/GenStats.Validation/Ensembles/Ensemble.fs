/// Ensembles as separate processes: the runner behind `Propagation` for members that take hours.
/// `create` writes the manifest, `submit` starts the members still to train (local processes or a
/// Slurm array), `status` says what is done, `gather` evaluates the quantity with every member's
/// model and returns the same `Propagation.Summary` as the in-process `Propagation.run`.
module GenStats.Validation.Ensembles.Ensemble

open System
open System.IO
open System.Threading
open GenStats.Data
open GenStats.Models.Files
open GenStats.Validation
open GenStats.Validation.Ensembles
open GenStats.Validation.Ensembles.Manifest
open GenStats.Validation.Ensembles.Runners

/// Writes DIR/manifest.json (or checks that the one there is the same ensemble) and returns it.
let create (dir: string) (manifest: Manifest) = Manifest.create dir manifest

/// Where the members of an ensemble stand.
type Status =
    {
        Manifest: Manifest
        /// Finished members (model file and JSON present).
        Done: Members.Record list
        /// Members Slurm still holds, with their state (PENDING, RUNNING, …); empty for local runs
        /// or where squeue is not available.
        Queued: Map<int, string>
        /// Members neither done nor queued: never started, failed, killed or cancelled.
        Missing: int list
        /// Whether squeue answered (false: Queued is empty because it could not be asked).
        SlurmAnswered: bool
    }

/// The state of DIR: member files, and squeue for the jobs this ensemble submitted.
let status (dir: string) =
    let m = read dir
    let finished = Members.finished dir m
    let doneSet = finished |> List.map (fun r -> r.Index) |> Set.ofList
    let queue = slurmQueue dir

    let queued =
        queue
        |> Option.defaultValue Map.empty
        |> Map.filter (fun i _ -> not (doneSet.Contains i))

    {
        Manifest = m
        Done = finished
        Queued = queued
        Missing =
            [ 0 .. m.Members - 1 ]
            |> List.filter (fun i -> not (doneSet.Contains i) && not (queued.ContainsKey i))
        SlurmAnswered = queue.IsSome
    }

/// One line per state, e.g. "3/4 done; queued: 3 (RUNNING); missing: none".
let describe (s: Status) =
    let queued =
        if s.Queued.IsEmpty then
            "none"
        else
            s.Queued
            |> Seq.map (fun kv -> sprintf "%d (%s)" kv.Key kv.Value)
            |> String.concat ", "

    let missing =
        if s.Missing.IsEmpty then
            "none"
        else
            Members.arraySpec s.Missing

    sprintf
        "%d/%d done; queued: %s; missing: %s%s"
        s.Done.Length
        s.Manifest.Members
        queued
        missing
        (if s.SlurmAnswered then "" else " (squeue not available)")

/// What a submission did.
type Submission =
    | NothingToDo
    /// Local members run and ended; Failed lists those whose process exited non-zero.
    | Ran of started: int list * failed: int list
    /// A Slurm array job for the given members.
    | Submitted of job: string * indices: int list
    /// --dry-run: the script and the sbatch command line that would submit it.
    | DryRun of script: string * command: string

/// Starts the members that are neither done nor queued with the runner. Local: waits for them
/// (onExit index exitCode after each). Slurm: writes DIR/ensemble.sbatch and submits an array of
/// exactly those members (`--array=i,j,…`), so failed or cancelled members are resubmitted and
/// finished ones never are; dryRun returns the script and command instead of submitting.
let submit (genstats: string list) (runner: Runner) (dryRun: bool) (onExit: int -> int -> unit) (dir: string) =
    let s = status dir
    let todo = s.Missing

    match runner with
    | Local processes ->
        if dryRun then
            DryRun(
                "",
                todo
                |> List.map (fun i -> memberCommand genstats dir i |> List.map shellQuote |> String.concat " ")
                |> String.concat "\n"
            )
        elif todo.IsEmpty then
            NothingToDo
        else
            Ran(todo, runLocal genstats processes dir todo onExit)
    | Slurm options ->
        let script = slurmScript genstats options dir s.Manifest.Members

        if dryRun then
            DryRun(
                script,
                if todo.IsEmpty then
                    ""
                else
                    "sbatch "
                    + (sbatchArguments dir todo |> List.map shellQuote |> String.concat " ")
            )
        elif todo.IsEmpty then
            NothingToDo
        else
            Directory.CreateDirectory(Path.Combine(Path.GetFullPath dir, "logs")) |> ignore
            GenStats.Numerics.AtomicFile.WriteText(slurmScriptPath dir, script)
            Submitted(submitSlurm dir todo, todo)

/// Polls `status` every `poll` until squeue answers that no member is queued (Slurm) and returns
/// the last status; a timeout is an error naming what is still queued.
let wait (poll: TimeSpan) (timeout: TimeSpan) (dir: string) =
    let clock = Diagnostics.Stopwatch.StartNew()

    let rec loop () =
        let s = status dir

        if s.Queued.IsEmpty && (s.SlurmAnswered || List.isEmpty (submittedJobs dir)) then
            s
        elif clock.Elapsed > timeout then
            raise (TimeoutException(sprintf "%s: members still queued after %O: %s" dir timeout (describe s)))
        else
            Thread.Sleep poll
            loop ()

    loop ()

/// The truth a gather compares with: a number, or the quantity measured on a sample (CSV or Parquet, with an
/// optional weight column).
type Truth =
    | Value of float
    | Sample of path: string * weight: string option

let private table (path: string) (columns: string list) (weight: string option) =
    let required = columns @ Option.toList weight |> List.distinct |> List.toArray

    TableFile.Read(path, CsvOptions(RequiredColumns = required))
    |> fun d -> d.WithRoles([| yield! required |> Array.except (Option.toArray weight) |], null, Option.toObj weight)

/// Measures the quantity with every member's model and summarises the ensemble
/// (`Propagation.summarize`). Each member generates with its own seed (the one it trained with):
/// `events` events of an unconditional model, or one event per row of the conditions of `at` (the
/// training table when None) for a conditional one. Fails, naming them, when members are missing.
let gather (quantity: Quantity.Quantity) (events: int) (at: string option) (truth: Truth option) (dir: string) =
    let s = status dir
    let m = s.Manifest

    if s.Done.Length < m.Members then
        invalidOp (
            sprintf
                "%s: %s — gather needs every member; resubmit the missing ones (genstats ensemble --out %s --runner …)."
                dir
                (describe s)
                dir
        )

    let conditions =
        if List.isEmpty m.Conditions then
            if events < 1 then
                invalidArg
                    (nameof events)
                    (sprintf
                        "events is %d; an unconditional model needs a positive number of events to generate."
                        events)

            None
        else
            let source = at |> Option.defaultValue m.Data
            Some((table source m.Conditions None).Rows(List.toArray m.Conditions))

    let members =
        s.Done
        |> List.map (fun r ->
            let model = ModelFile.Load r.Model

            let rows =
                match conditions with
                | Some c -> model.Sample(c, r.Seed)
                | None -> model.Sample(events, r.Seed)

            let names = List.ofSeq model.FeatureNames @ m.Conditions
            let width = model.FeatureNames.Count

            let columns =
                [|
                    for j in 0 .. width - 1 -> rows |> Array.map (fun row -> row.[j])
                    match conditions with
                    | Some c -> for j in 0 .. m.Conditions.Length - 1 -> c |> Array.map (fun row -> row.[j])
                    | None -> ()
                |]

            let generated = Dataset.Create(List.toArray names, columns)

            let result: Propagation.Member =
                {
                    Index = r.Index
                    Seed = r.Seed
                    Result = Quantity.evaluate quantity generated
                }

            result)

    let truthValue =
        truth
        |> Option.map (function
            | Value v -> v
            | Sample(path, weight) -> (Quantity.evaluate quantity (table path (Quantity.columns quantity) weight)).Value)

    Propagation.summarize truthValue members

/// The one-page report of a gathered ensemble (the `PropagationReport` section, the summary's numbers).
let report (quantity: Quantity.Quantity) (summary: Propagation.Summary) (dir: string) =
    let q = Quantity.describe quantity
    let m = read dir

    [ Studies.PropagationReport.toSection q summary ]
    |> Studies.StudyReport.report
        (sprintf "Systematics ensemble: %s, %d members" m.Model m.Members)
        [
            sprintf
                "%s: %d %s models on Poisson-bootstrap replicas of %s (seed %d): %s = %.6g ± %.6g (systematic)."
                dir
                m.Members
                m.Model
                (Path.GetFileName m.Data)
                m.Seed
                q
                summary.Central
                summary.Systematic
        ]
        (Studies.StudyReport.numbers "propagation" summary)

/// Creates the ensemble, runs every missing member and waits until none is queued: the F# way to
/// run `Propagation` members as processes (Local n) or Slurm array tasks. Returns the final status.
let run (genstats: string list) (runner: Runner) (dir: string) (manifest: Manifest) =
    create dir manifest |> ignore

    match submit genstats runner false (fun _ _ -> ()) dir with
    | Submitted _ -> wait (TimeSpan.FromSeconds 2.0) (TimeSpan.FromDays 30.0) dir
    | _ -> status dir
