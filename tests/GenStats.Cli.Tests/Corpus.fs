/// The bad-input corpus: cases as data (corpus.json), the fixtures they read, and how a case is
/// expanded and run. A case is a verb and its options, the exit code it must give and a phrase
/// its message must contain; a matrix crosses input files with commands that read them.
module GenStats.Tests.Cli.Corpus

open System
open System.IO
open System.Security.Cryptography
open System.Text
open System.Text.Json
open GenStats.Models.Files
open GenStats.Tests

/// One command-line run and what it must give.
type Case =
    {
        Name: string
        Args: string list
        Exit: int
        /// A phrase the output must contain (standard error when the exit code is not 0, both streams when it is).
        Message: string
        Env: (string * string) list
        /// Files the run may create or replace (none unless it succeeds).
        Creates: string list
    }

let private strings (e: JsonElement) =
    [ for x in e.EnumerateArray() -> x.GetString() ]

let private optional (e: JsonElement) (name: string) =
    match e.TryGetProperty name with
    | true, v -> Some v
    | _ -> None

let private caseOf (e: JsonElement) =
    {
        Name = e.GetProperty("name").GetString()
        Args = strings (e.GetProperty "args")
        Exit = e.GetProperty("exit").GetInt32()
        Message = e.GetProperty("message").GetString()
        Env =
            match optional e "env" with
            | Some env -> [ for p in env.EnumerateObject() -> p.Name, p.Value.GetString() ]
            | None -> []
        Creates =
            match optional e "creates" with
            | Some c -> strings c
            | None -> []
    }

/// corpus.json beside the test assembly.
let document =
    lazy
        (let path = Path.Combine(AppContext.BaseDirectory, "corpus.json")
         JsonDocument.Parse(File.ReadAllText path, JsonDocumentOptions(CommentHandling = JsonCommentHandling.Skip)))

/// Every case: the listed ones, then each matrix's inputs × commands ("{input}" in an argument
/// becomes the input file; the input's phrase is the message).
let cases () =
    let root = document.Force().RootElement

    let listed = [ for c in root.GetProperty("cases").EnumerateArray() -> caseOf c ]

    let crossed =
        [
            for m in root.GetProperty("matrix").EnumerateArray() do
                for input in m.GetProperty("inputs").EnumerateArray() do
                    for command in m.GetProperty("commands").EnumerateArray() do
                        let file = input.GetProperty("file").GetString()

                        {
                            Name = sprintf "%s: %s" (command.GetProperty("name").GetString()) file
                            Args =
                                strings (command.GetProperty "args")
                                |> List.map (fun a -> a.Replace("{input}", file))
                            Exit = command.GetProperty("exit").GetInt32()
                            Message = input.GetProperty("message").GetString()
                            Env = []
                            Creates = []
                        }
        ]

    listed @ crossed

/// Rows of N(0, 1) pairs with a fixed seed, written as CSV (an independent generator: System.Random).
let private gaussian (rows: int) (columns: string) (seed: int) =
    let rnd = Random(seed)

    let normal () =
        sqrt (-2.0 * log (1.0 - rnd.NextDouble()))
        * cos (2.0 * Math.PI * rnd.NextDouble())

    let width = columns.Split(',').Length
    let b = StringBuilder(columns + "\n")

    for _ in 1..rows do
        b
            .AppendJoin(
                ',',
                Array.init width (fun _ -> normal().ToString("R", Globalization.CultureInfo.InvariantCulture))
            )
            .Append('\n')
        |> ignore

    b.ToString()

/// A copy of a model file whose first parameter is NaN, with a valid checksum (written by the
/// core's writer, which does not check values; the reader must refuse it).
let private withNaN (source: string) (target: string) =
    let c = ModelFile.Read source
    let mutable poisoned = false

    let arrays =
        [|
            for a in c.Arrays ->
                match a.Data with
                | :? (float[]) as d when not poisoned && d.Length > 0 ->
                    poisoned <- true
                    let d = Array.copy d
                    d[0] <- nan
                    ModelArray.OfFloat64(a.Name, d, Array.ofSeq a.Shape)
                | _ -> a
        |]

    if not poisoned then
        failwithf "%s has no float64 array to poison" source

    ModelFile.Write(target, ModelFileContent(c.ModelType, c.FeatureNames, c.ConditionNames, c.Metadata, arrays))

/// Builds every fixture of corpus.json in a new folder, once: text, base64 bytes, Gaussian
/// tables, folders, files written by the command line itself, and damaged copies of models.
let fixtures =
    lazy
        (let dir =
            Path.Combine(Path.GetTempPath(), "genstats-cli-fixtures-" + Guid.NewGuid().ToString("N"))

         Directory.CreateDirectory dir |> ignore

         let specs =
             [
                 for p in document.Force().RootElement.GetProperty("fixtures").EnumerateObject() -> p.Name, p.Value
             ]

         let path name = Path.Combine(dir, name)

         // Plain content first; then what the command line writes; then copies derived from those.
         for name, spec in specs do
             match optional spec "text", optional spec "base64", optional spec "gauss", optional spec "directory" with
             | Some t, _, _, _ -> File.WriteAllText(path name, t.GetString(), UTF8Encoding false)
             | _, Some b, _, _ -> File.WriteAllBytes(path name, Convert.FromBase64String(b.GetString()))
             | _, _, Some g, _ ->
                 File.WriteAllText(path name, gaussian (g[0].GetInt32()) (g[1].GetString()) (g[2].GetInt32()))
             | _, _, _, Some _ -> Directory.CreateDirectory(path name) |> ignore
             | _ -> ()

         for name, spec in specs do
             match optional spec "cli" with
             | Some args ->
                 let r = CliProcess.run dir [] (TimeSpan.FromMinutes 2.0) (strings args)

                 if r.ExitCode <> 0 || not (File.Exists(path name)) then
                     failwithf "fixture %s: genstats %A failed: %s" name (strings args) r.Stderr
             | None -> ()

         for name, spec in specs do
             match optional spec "nanOf", optional spec "truncate" with
             | Some src, _ -> withNaN (path (src.GetString())) (path name)
             | _, Some t ->
                 File.WriteAllBytes(path name, File.ReadAllBytes(path (t[0].GetString()))[.. t[1].GetInt32() - 1])
             | _ -> ()

         dir)

/// The fixtures a case names in its arguments, copied into a fresh folder.
let prepare (case: Case) =
    let source = fixtures.Force()

    let dir =
        Path.Combine(Path.GetTempPath(), "genstats-cli-case-" + Guid.NewGuid().ToString("N"))

    Directory.CreateDirectory dir |> ignore

    for a in List.distinct case.Args do
        // An argument that names a fixture (a plain file name) gets a copy of it.
        let from = Path.Combine(source, a)

        if a.Length > 0 && not (a.Contains '/') then
            if File.Exists from then
                File.Copy(from, Path.Combine(dir, a))
            elif Directory.Exists from then
                Directory.CreateDirectory(Path.Combine(dir, a)) |> ignore

    dir

/// Every file below a folder (relative path → SHA-256), folders as "DIR/".
let snapshot (dir: string) =
    Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories)
    |> Seq.map (fun p ->
        let rel = Path.GetRelativePath(dir, p)

        if Directory.Exists p then
            rel + "/", ""
        else
            rel, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes p)))
    |> Map.ofSeq
