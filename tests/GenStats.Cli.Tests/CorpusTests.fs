/// Runs the bad-input corpus (corpus.json) against the built command line, two processes at a
/// time, and checks every case: no crash or stack trace, no hang, the exit code, one clear line
/// with the expected phrase, input files unchanged, and no file left behind (temporary or not).
module GenStats.Tests.Cli.CorpusTests

open System
open System.Collections.Concurrent
open System.IO
open System.Text.RegularExpressions
open System.Threading.Tasks
open Expecto
open GenStats.Tests.Cli.Corpus

/// A case that takes longer than this hangs (the slowest one trains a tiny model in seconds).
let timeout = TimeSpan.FromSeconds 60.0

/// What a run left: the outcome, and the folder before and after.
type private Result =
    {
        Outcome: CliProcess.Outcome
        Before: Map<string, string>
        After: Map<string, string>
    }

let private runCase (asProcess: bool) (case: Case) =
    let dir = prepare case
    let before = snapshot dir

    try
        let outcome =
            if asProcess then
                CliProcess.run dir case.Env timeout case.Args
            else
                CliProcess.runInProcess dir timeout case.Args

        {
            Outcome = outcome
            Before = before
            After = snapshot dir
        }
    finally
        Directory.Delete(dir, true)

/// Cases that run as a real process: those that set environment variables (a heap limit) and
/// every 8th other one; the rest call Program.Run in this process (starting 400 processes would
/// take minutes on two busy cores).
let runsAsProcess (index: int) (case: Case) = not case.Env.IsEmpty || index % 8 = 0

/// All cases, run once: the in-process ones one after another, then the processes two at a time.
let private results =
    lazy
        (let all = cases () |> List.indexed
         let done' = ConcurrentDictionary<string, Result>()

         for i, c in all do
             if not (runsAsProcess i c) then
                 done'[c.Name] <- runCase false c

         let processes = all |> List.filter (fun (i, c) -> runsAsProcess i c) |> List.map snd

         Parallel.ForEach(
             processes,
             ParallelOptions(MaxDegreeOfParallelism = 2),
             (fun c -> done'[c.Name] <- runCase true c)
         )
         |> ignore

         done')

let private stackTrace = Regex(@"^\s+at \S+.*\(", RegexOptions.Multiline)

let private lines (text: string) =
    text.Split('\n', StringSplitOptions.RemoveEmptyEntries ||| StringSplitOptions.TrimEntries)
    |> List.ofArray

/// The checks every case must pass.
let check (case: Case) =
    let r = results.Force()[case.Name]
    let o = r.Outcome

    let shown =
        sprintf
            "genstats %s\nexit %d\nstdout:\n%s\nstderr:\n%s"
            (String.Join(" ", case.Args))
            o.ExitCode
            o.Stdout
            o.Stderr

    Expect.isFalse o.TimedOut (sprintf "no hang within %gs\n%s" timeout.TotalSeconds shown)
    let all = o.Stdout + o.Stderr
    Expect.isFalse (all.Contains "Unhandled exception") ("no unhandled exception\n" + shown)
    // --verbose asks for the trace of a failure; nothing else may print one.
    let verbose = List.contains "--verbose" case.Args
    Expect.equal (stackTrace.IsMatch all) (verbose && case.Exit <> 0) ("a stack trace only with --verbose\n" + shown)
    Expect.equal o.ExitCode case.Exit ("exit code\n" + shown)
    let where = if case.Exit = 0 then all else o.Stderr
    Expect.stringContains where case.Message ("the message\n" + shown)

    // An error is one line "genstats VERB: …" (warnings before it are lines of their own).
    let errors = lines o.Stderr |> List.filter (fun l -> not (l.Contains "warning:"))

    if case.Exit <> 0 && not verbose then
        Expect.equal errors.Length 1 ("one error line\n" + shown)
        Expect.isTrue (errors.Head.StartsWith "genstats") ("the line starts with 'genstats'\n" + shown)

    for KeyValue(file, hash) in r.Before do
        if not (List.contains file case.Creates) then
            Expect.equal (r.After.TryFind file) (Some hash) (sprintf "input %s unchanged\n%s" file shown)

    let created =
        r.After
        |> Map.toList
        |> List.map fst
        |> List.filter (fun f -> not (r.Before.ContainsKey f))

    for f in created do
        Expect.isFalse (f.EndsWith ".tmp") (sprintf "no temporary file left (%s)\n%s" f shown)
        Expect.contains case.Creates f (sprintf "only the expected outputs are created (found %s)\n%s" f shown)

[<Tests>]
let tests =
    let all = cases ()

    testList
        "corpus"
        [
            testCase "the corpus has at least 300 cases with distinct names"
            <| fun () ->
                Expect.isGreaterThanOrEqual all.Length 300 "cases"

                let repeated =
                    all |> List.countBy (fun c -> c.Name) |> List.filter (fun (_, n) -> n > 1)

                Expect.isEmpty repeated "case names are distinct"
            yield! all |> List.map (fun c -> testCase c.Name (fun () -> check c))
        ]
