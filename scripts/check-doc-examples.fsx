// Type-checks every F# example in README.md and docs/*.md against the built assemblies, so that the
// examples cannot drift from the API.
//
//   dotnet fsi scripts/check-doc-examples.fsx      (build first: dotnet build src/GenStats.Validation -c Release)
//
// Every ```fsharp (or ```fsx / ```f#) block becomes its own script under out/doc-examples/ that starts
// with `#load "validation/GenStats.fsx"` (the built GenStats assemblies) and `open GenStats.Validation`
// (unless the block opens it), followed by a line directive, so the compiler reports errors at their
// docs/FILE.md line. The scripts are type-checked without running them (`dotnet fsi --typecheck-only`),
// all in one fsi process through a driver that #loads them in turn; F# Interactive stops at the first
// script with an error, so after a failure the remaining scripts are checked in a fresh process.
//
// In the Markdown:
//   - a block whose first line is `// doc-example: skip` is not checked (say why on that line; use sparingly);
//   - an HTML comment directly above the fence, `<!-- doc-example setup` … `-->`, holds hidden F# lines
//     that run before the block (values a fragment assumes, e.g. `let real : float[][] = [||]`).
//
// It also checks inline references: a code span such as `Distances.energy` in the Markdown (outside code
// blocks) or in a `///` comment of src/GenStats.Validation that names an F# module of the built assembly
// and a lower-case name must name a member of that module.
//
// Prints one line per failing example, `docs/FILE.md:LINE: error FSnnnn: message`, one line per unknown
// reference, `FILE:LINE: error: ...`, then a summary; exits 1 on any failure, 2 when the check could not run.
open System
open System.Diagnostics
open System.IO
open System.Text.RegularExpressions

let root = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, ".."))
let outDir = Path.Combine(root, "out", "doc-examples")
let genStatsFsx = Path.Combine(root, "validation", "GenStats.fsx")

let validationDll =
    Path.Combine(root, "src", "GenStats.Validation", "bin", "Release", "net10.0", "GenStats.Validation.dll")

let started = Stopwatch.StartNew()

let relative (path: string) =
    Path.GetRelativePath(root, path).Replace('\\', '/')

if not (File.Exists validationDll) then
    eprintfn
        "check-doc-examples: %s not found: build first (dotnet build src/GenStats.Validation -c Release)"
        (relative validationDll)

    exit 2

type Example =
    {
        File: string // repository-relative Markdown path
        FenceLine: int // 1-based line of the opening fence
        Setup: (int * string) list // hidden setup lines with their Markdown line numbers
        Code: string list
        Skip: bool
        Script: string // the generated .fsx
    }

let fence = Regex(@"^(\s*)(```+|~~~+)\s*([A-Za-z#+]*)")
let fsharpTags = set [ "fsharp"; "fsx"; "f#"; "fs" ]

/// Every F# block of one Markdown file.
let examplesOf (path: string) =
    let lines = File.ReadAllLines path
    let file = relative path
    let examples = ResizeArray<Example>()
    let mutable i = 0

    while i < lines.Length do
        let m = fence.Match lines[i]

        if m.Success then
            let indent, marker, tag =
                m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value.ToLowerInvariant()

            let start = i
            i <- i + 1
            let body = ResizeArray<string>()

            while i < lines.Length && not (lines[i].TrimStart().StartsWith marker) do
                // Strip the fence's own indentation (blocks inside list items).
                let l = lines[i]

                body.Add(
                    if l.StartsWith indent then
                        l.Substring indent.Length
                    else
                        l.TrimStart()
                )

                i <- i + 1

            if fsharpTags.Contains tag then
                // Hidden setup: an HTML comment `<!-- doc-example setup ... -->` ending on the line above the fence.
                let setup =
                    if start > 0 && lines[start - 1].Trim() = "-->" then
                        let mutable j = start - 2

                        while j >= 0 && not (lines[j].TrimStart().StartsWith "<!--") do
                            j <- j - 1

                        if j >= 0 && lines[j].Contains "doc-example setup" then
                            [ for k in j + 1 .. start - 2 -> k + 1, lines[k] ]
                        else
                            []
                    else
                        []

                let code = List.ofSeq body

                let skip =
                    match code |> List.tryFind (fun l -> l.Trim() <> "") with
                    | Some first -> first.Trim().StartsWith "// doc-example: skip"
                    | None -> false

                let name = Regex.Replace(file, "[^A-Za-z0-9]", "_") + $"_L{start + 1}.fsx"

                examples.Add
                    {
                        File = file
                        FenceLine = start + 1
                        Setup = setup
                        Code = code
                        Skip = skip
                        Script = Path.Combine(outDir, name)
                    }

        i <- i + 1

    List.ofSeq examples

let markdownFiles =
    [
        yield Path.Combine(root, "README.md")
        yield!
            Directory.GetFiles(Path.Combine(root, "docs"), "*.md")
            |> Array.sortWith (fun a b -> String.CompareOrdinal(a, b))
    ]
    |> List.filter File.Exists

let examples = markdownFiles |> List.collect examplesOf
let checkedExamples = examples |> List.filter (fun e -> not e.Skip)

Directory.CreateDirectory outDir |> ignore

for f in Directory.GetFiles(outDir, "*.fsx") do
    File.Delete f

let quote (path: string) =
    "\"" + path.Replace("\\", "\\\\") + "\""

for e in checkedExamples do
    let opensValidation =
        e.Code
        |> List.exists (fun l -> Regex.IsMatch(l, @"^\s*open\s+GenStats\.Validation\s*$"))

    let mdPath = Path.Combine(root, e.File)

    let text =
        [
            yield $"#load {quote genStatsFsx}"
            if not opensValidation then
                yield "open GenStats.Validation"
            for line, code in e.Setup do
                yield $"# {line} {quote mdPath}"
                yield code
            yield $"# {e.FenceLine + 1} {quote mdPath}"
            yield! e.Code
        ]

    File.WriteAllText(e.Script, String.concat "\n" text + "\n")

/// Runs `dotnet fsi --typecheck-only` on a driver that #loads the given examples; returns (exit code, output).
let typecheck (batch: Example list) =
    let driver = Path.Combine(outDir, "driver.fsx")

    File.WriteAllText(
        driver,
        (batch |> List.map (fun e -> $"#load {quote e.Script}") |> String.concat "\n")
        + "\n"
    )

    let info =
        ProcessStartInfo("dotnet", $"fsi --typecheck-only --nologo {quote driver}")

    info.RedirectStandardOutput <- true
    info.RedirectStandardError <- true
    info.UseShellExecute <- false
    info.WorkingDirectory <- root
    use p = Process.Start info
    let stdout = p.StandardOutput.ReadToEndAsync()
    let stderr = p.StandardError.ReadToEndAsync()
    p.WaitForExit()
    p.ExitCode, stdout.Result + stderr.Result

/// Compiler diagnostics `path(line,col): error FSnnnn: message` (messages may span several lines).
let diagnostic =
    Regex(@"^(?<path>.+?)\((?<line>\d+),(?<col>\d+)\): (?<kind>error|warning) (?<code>FS\d+): (?<message>.*)$")

let parseDiagnostics (output: string) =
    let lines = output.Replace("\r\n", "\n").Split('\n')
    let result = ResizeArray<string * int * string * string>()
    let mutable current: (string * int * string * Text.StringBuilder) option = None

    let flush () =
        match current with
        | Some(path, line, kind, message) ->
            result.Add(path, line, kind, Regex.Replace(message.ToString(), @"\s+", " ").Trim())
        | None -> ()

        current <- None

    for l in lines do
        let m = diagnostic.Match l

        if m.Success then
            flush ()

            current <-
                Some(
                    m.Groups["path"].Value,
                    int m.Groups["line"].Value,
                    m.Groups["kind"].Value,
                    Text.StringBuilder(m.Groups["code"].Value + ": " + m.Groups["message"].Value)
                )
        elif l.Trim() = "" then
            flush ()
        else
            match current with
            | Some(_, _, _, message) -> message.Append(' ').Append(l.Trim()) |> ignore
            | None -> ()

    flush ()
    List.ofSeq result

/// The example a diagnostic belongs to: by Markdown line (the line directives) or by generated script.
let owner (batch: Example list) (path: string, line: int) =
    let full =
        try
            Path.GetFullPath(path, root)
        with _ ->
            path

    batch
    |> List.tryFind (fun e ->
        (full = Path.GetFullPath e.Script)
        || (full = Path.Combine(root, e.File)
            && ((line > e.FenceLine && line <= e.FenceLine + e.Code.Length)
                || e.Setup |> List.exists (fun (l, _) -> l = line))))

let failures = ResizeArray<Example * (string * int * string * string) list>()
let warnings = ResizeArray<string>()
let mutable runs = 0
let mutable remaining = checkedExamples
let mutable broken = false

while not broken && not remaining.IsEmpty do
    runs <- runs + 1
    let code, output = typecheck remaining
    let diagnostics = parseDiagnostics output

    for (path, line, kind, message) in diagnostics do
        if kind = "warning" then
            warnings.Add $"{relative (Path.GetFullPath(path, root))}:{line}: warning {message}"

    let errors = diagnostics |> List.filter (fun (_, _, kind, _) -> kind = "error")

    if code = 0 && errors.IsEmpty then
        remaining <- []
    else
        // fsi stops at the first script with an error: everything before it passed.
        let failed =
            errors
            |> List.choose (fun ((path, line, _, _) as d) -> owner remaining (path, line) |> Option.map (fun e -> e, d))

        match failed with
        | [] ->
            printfn "check-doc-examples: dotnet fsi failed outside any example (exit %d):" code
            printfn "%s" (output.Trim())
            broken <- true
        | (first, _) :: _ ->
            failures.Add(first, failed |> List.filter (fun (e, _) -> e = first) |> List.map snd)
            remaining <- remaining |> List.skipWhile (fun e -> e <> first) |> List.tail

for w in warnings |> Seq.distinct do
    printfn "%s" w

for e, errors in failures do
    match errors with
    | [] -> ()
    | (path, line, _, message) :: rest ->
        let at = relative (Path.GetFullPath(path, root))
        printfn "%s:%d: error %s  (example at %s:%d)" at line message e.File e.FenceLine

        for (p, l, _, m) in rest do
            printfn "    also %s:%d: error %s" (relative (Path.GetFullPath(p, root))) l m

// ---- inline references: `Module.name` in Markdown and in the `///` comments of src/GenStats.Validation ----
// Every code span (`…`) naming an F# module of the built assembly followed by a lower-case name must name a
// member of that module, so renamed or removed functions cannot linger in prose.

let assembly = Reflection.Assembly.LoadFrom validationDll

let isModule (t: Type) =
    t.CustomAttributes
    |> Seq.exists (fun a ->
        a.AttributeType.FullName = "Microsoft.FSharp.Core.CompilationMappingAttribute"
        && (Convert.ToInt32 a.ConstructorArguments[0].Value &&& 31) = 7)

let moduleMembers =
    assembly.GetTypes()
    |> Array.filter (fun t -> (t.IsPublic || t.IsNestedPublic) && isModule t)
    |> Array.map (fun t ->
        let name =
            if t.Name.EndsWith "Module" && t.Name.Length > 6 then
                t.Name.Substring(0, t.Name.Length - 6)
            else
                t.Name

        let members =
            t.GetMembers(Reflection.BindingFlags.Public ||| Reflection.BindingFlags.Static)
            |> Array.map (fun m ->
                m.CustomAttributes
                |> Seq.tryFind (fun a ->
                    a.AttributeType.FullName = "Microsoft.FSharp.Core.CompilationSourceNameAttribute")
                |> Option.map (fun a -> string a.ConstructorArguments[0].Value)
                |> Option.defaultValue m.Name)

        [ t.Name; name ]
        |> List.distinct
        |> List.map (fun n -> n, (t.FullName.Replace('+', '.'), set members)))
    |> Array.collect List.toArray
    |> Array.groupBy fst
    |> Array.map (fun (n, entries) ->
        n,
        (entries |> Array.map (snd >> fst) |> String.concat ", ", entries |> Array.map (snd >> snd) |> Set.unionMany))
    |> dict

let codeSpan = Regex(@"(`+)(.+?)\1")

let reference =
    Regex(@"(?<![A-Za-z0-9_'/])(?<module>[A-Z][A-Za-z0-9_]*)\.(?<name>[a-z][A-Za-z0-9_']*)\b(?!\.(fs|fsx|md)\b)")

let fileExtensions =
    set
        [
            "fs"
            "fsx"
            "fsi"
            "fsproj"
            "md"
            "cs"
            "csproj"
            "dll"
            "json"
            "html"
            "csv"
            "xml"
            "sh"
        ]

let sourceComments =
    let dir = Path.Combine(root, "src", "GenStats.Validation")

    if Directory.Exists dir then
        Directory.GetFiles(dir, "*.fs", SearchOption.AllDirectories)
        |> Array.filter (fun f -> not (f.Contains $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
        |> Array.sortWith (fun a b -> String.CompareOrdinal(a, b))
        |> Array.toList
    else
        []

let referenceErrors =
    [
        for path in markdownFiles @ sourceComments do
            let file = relative path
            let isSource = path.EndsWith ".fs"

            if file <> "docs/fsharp-api.md" then
                let mutable inFence = false

                for i, line in File.ReadAllLines path |> Array.indexed do
                    if not isSource && fence.IsMatch line then
                        inFence <- not inFence

                    let prose =
                        if isSource then
                            (if line.TrimStart().StartsWith "///" then
                                 Some line
                             else
                                 None)
                        elif inFence then
                            None
                        else
                            Some line

                    match prose with
                    | None -> ()
                    | Some text ->
                        for span in codeSpan.Matches text do
                            for r in reference.Matches span.Groups[2].Value do
                                let m, n = r.Groups["module"].Value, r.Groups["name"].Value

                                if moduleMembers.ContainsKey m && not (fileExtensions.Contains n) then
                                    let full, members = moduleMembers[m]

                                    if not (members.Contains n) then
                                        yield $"{file}:{i + 1}: error: `{m}.{n}` names no member of module {full}"
    ]

for e in referenceErrors do
    printfn "%s" e

let skipped = examples |> List.filter (fun e -> e.Skip)

for e in skipped do
    let first = e.Code |> List.find (fun l -> l.Trim() <> "")

    let reason =
        first.Trim().Substring("// doc-example: skip".Length).Trim().TrimStart('-', '—', ':', ' ')

    printfn "skipped %s:%d (%s)" e.File e.FenceLine (if reason = "" then "no reason given" else reason)

printfn
    "doc examples: %d found in %d files, %d checked, %d failed, %d skipped (%d fsi runs, %.0f s)"
    examples.Length
    markdownFiles.Length
    checkedExamples.Length
    failures.Count
    skipped.Length
    runs
    started.Elapsed.TotalSeconds

printfn
    "inline references to F# modules: %d unknown (README.md, docs/*.md, /// comments of src/GenStats.Validation)"
    referenceErrors.Length

exit (
    if broken then
        2
    elif failures.Count > 0 || not referenceErrors.IsEmpty then
        1
    else
        0
)
