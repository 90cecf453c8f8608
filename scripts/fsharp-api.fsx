// Generates docs/fsharp-api.md, the reference of the public F# API (src/GenStats.Validation), from
// the compiled assembly and its XML documentation, so that the reference cannot drift from the code.
//
//   dotnet fsi scripts/fsharp-api.fsx           writes docs/fsharp-api.md
//   dotnet fsi scripts/fsharp-api.fsx --check   exits 1 with a diff when docs/fsharp-api.md is stale
//
// Reads src/GenStats.Validation/bin/Release/net10.0/GenStats.Validation.dll (and the .xml next to
// it): build first (dotnet build src/GenStats.Validation -c Release). Nothing here names the API, so
// the script keeps working whatever the modules and functions are called. Output is deterministic:
// modules sorted by full name, their members in declaration (metadata) order.
open System
open System.IO
open System.Reflection
open System.Text
open System.Text.RegularExpressions
open System.Xml.Linq
open Microsoft.FSharp.Reflection

let root = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, ".."))

let dllPath =
    Path.Combine(root, "src", "GenStats.Validation", "bin", "Release", "net10.0", "GenStats.Validation.dll")

let xmlPath = Path.ChangeExtension(dllPath, ".xml")
let docPath = Path.Combine(root, "docs", "fsharp-api.md")
let docRelative = "docs/fsharp-api.md"
let check = fsi.CommandLineArgs |> Array.contains "--check"

let fail (message: string) =
    eprintfn "%s" message
    exit 2

if not (File.Exists dllPath) then
    fail $"fsharp-api: {dllPath} not found: build first (dotnet build src/GenStats.Validation -c Release)"

let assembly = Assembly.LoadFrom dllPath

// ---- F# metadata, read by attribute name so no FSharp.Core type identity is assumed ----------------

/// The SourceConstructFlags kind (flags & KindMask) of a CompilationMappingAttribute, if any.
let mappingKind (attributes: seq<CustomAttributeData>) =
    attributes
    |> Seq.tryFind (fun a -> a.AttributeType.FullName = "Microsoft.FSharp.Core.CompilationMappingAttribute")
    |> Option.map (fun a -> (Convert.ToInt32 a.ConstructorArguments[0].Value) &&& 31)

/// Whether the type's representation is private (`type T = private { ... }`): SourceConstructFlags.NonPublicRepresentation.
let hasPrivateRepresentation (attributes: seq<CustomAttributeData>) =
    attributes
    |> Seq.exists (fun a ->
        a.AttributeType.FullName = "Microsoft.FSharp.Core.CompilationMappingAttribute"
        && (Convert.ToInt32 a.ConstructorArguments[0].Value &&& 32) <> 0)

let mappingIndex (attributes: seq<CustomAttributeData>) =
    attributes
    |> Seq.tryFind (fun a -> a.AttributeType.FullName = "Microsoft.FSharp.Core.CompilationMappingAttribute")
    |> Option.bind (fun a ->
        a.ConstructorArguments
        |> Seq.skip 1
        |> Seq.tryHead
        |> Option.map (fun v -> Convert.ToInt32 v.Value))

let hasAttribute (name: string) (attributes: seq<CustomAttributeData>) =
    attributes |> Seq.exists (fun a -> a.AttributeType.FullName = name)

let attributeString (name: string) (attributes: seq<CustomAttributeData>) =
    attributes
    |> Seq.tryFind (fun a -> a.AttributeType.FullName = name)
    |> Option.map (fun a -> string a.ConstructorArguments[0].Value)

let SumType, RecordType, Field, Exception, Module, UnionCase, Value =
    1, 2, 4, 5, 7, 8, 9

let isModule (t: Type) =
    mappingKind t.CustomAttributes = Some Module

let rec isVisible (t: Type) =
    t.IsPublic || (t.IsNestedPublic && isVisible t.DeclaringType)

/// The F# name of a module: its compiled name without the suffix [<CompilationRepresentation(ModuleSuffix)>] adds.
let moduleSourceName (t: Type) =
    let siblings =
        if isNull t.DeclaringType then
            assembly.GetTypes()
            |> Array.filter (fun s -> s.Namespace = t.Namespace && not s.IsNested)
        else
            t.DeclaringType.GetNestedTypes()

    if
        t.Name.EndsWith "Module"
        && siblings |> Array.exists (fun s -> s.Name = t.Name.[.. t.Name.Length - 7])
    then
        t.Name.[.. t.Name.Length - 7]
    else
        t.Name

let rec fullModuleName (t: Type) =
    if isNull t.DeclaringType then
        (if String.IsNullOrEmpty t.Namespace then
             ""
         else
             t.Namespace + ".")
        + moduleSourceName t
    else
        fullModuleName t.DeclaringType + "." + moduleSourceName t

// ---- F# type names ------------------------------------------------------------------------------

let abbreviations =
    dict
        [
            "System.Double", "float"
            "System.Single", "float32"
            "System.Int32", "int"
            "System.Int64", "int64"
            "System.Int16", "int16"
            "System.SByte", "sbyte"
            "System.Byte", "byte"
            "System.UInt16", "uint16"
            "System.UInt32", "uint32"
            "System.UInt64", "uint64"
            "System.String", "string"
            "System.Boolean", "bool"
            "System.Char", "char"
            "System.Decimal", "decimal"
            "System.Object", "obj"
            "System.Void", "unit"
            "Microsoft.FSharp.Core.Unit", "unit"
            "System.IntPtr", "nativeint"
            "System.UIntPtr", "unativeint"
            "System.Exception", "exn"
        ]

/// Generic F# types written postfix: `'T list`.
let postfix =
    dict
        [
            "Microsoft.FSharp.Core.FSharpOption`1", "option"
            "Microsoft.FSharp.Core.FSharpValueOption`1", "voption"
            "Microsoft.FSharp.Collections.FSharpList`1", "list"
            "Microsoft.FSharp.Core.FSharpRef`1", "ref"
        ]

/// Generic types with an F# name written prefix: `seq<'T>`.
let prefix =
    dict
        [
            "System.Collections.Generic.IEnumerable`1", "seq"
            "Microsoft.FSharp.Collections.FSharpMap`2", "Map"
            "Microsoft.FSharp.Collections.FSharpSet`1", "Set"
            "Microsoft.FSharp.Core.FSharpResult`2", "Result"
            "Microsoft.FSharp.Control.FSharpAsync`1", "Async"
            "Microsoft.FSharp.Core.FSharpChoice`2", "Choice"
            "Microsoft.FSharp.Core.FSharpChoice`3", "Choice"
        ]

/// Precedence contexts: a function type needs parentheses anywhere but at the top (or as a result),
/// a tuple inside a tuple or before a postfix type name.
type Context =
    | Top
    | TupleElement
    | Postfix

let stripArity (name: string) =
    match name.IndexOf '`' with
    | -1 -> name
    | i -> name.Substring(0, i)

let rec typeName (context: Context) (t: Type) : string =
    let paren condition (s: string) = if condition then "(" + s + ")" else s

    if t.IsGenericParameter then
        "'" + t.Name
    elif t.IsByRef then
        "byref<" + typeName Top (t.GetElementType()) + ">"
    elif t.IsArray then
        let rank = t.GetArrayRank()
        typeName Postfix (t.GetElementType()) + "[" + String(',', rank - 1) + "]"
    elif t.IsGenericType then
        let definition = t.GetGenericTypeDefinition().FullName
        let args = t.GetGenericArguments()

        if definition = "Microsoft.FSharp.Core.FSharpFunc`2" then
            paren (context <> Top) (typeName TupleElement args[0] + " -> " + typeName Top args[1])
        elif definition.StartsWith "System.Tuple`" && args.Length < 8 then
            paren (context <> Top) (args |> Array.map (typeName TupleElement) |> String.concat " * ")
        elif definition.StartsWith "System.ValueTuple`" && args.Length < 8 then
            "struct ("
            + (args |> Array.map (typeName TupleElement) |> String.concat " * ")
            + ")"
        elif postfix.ContainsKey definition then
            typeName Postfix args[0] + " " + postfix[definition]
        else
            let name =
                if prefix.ContainsKey definition then
                    prefix[definition]
                else
                    stripArity t.Name

            name + "<" + (args |> Array.map (typeName Top) |> String.concat ", ") + ">"
    elif abbreviations.ContainsKey t.FullName then
        abbreviations[t.FullName]
    else
        t.Name

// ---- XML documentation --------------------------------------------------------------------------

let xmlDocs =
    if File.Exists xmlPath then
        XDocument.Load(xmlPath).Descendants(XName.Get "member")
        |> Seq.map (fun m -> m.Attribute(XName.Get "name").Value, m)
        |> Seq.toList
    else
        []

/// Plain text of a <summary>: <c>x</c> → `x`, <see cref="T:A.B"/> → `B`, whitespace collapsed.
let summaryText (m: XElement) =
    match m.Element(XName.Get "summary") with
    | null -> None
    | summary ->
        let text = StringBuilder()

        let rec walk (node: XNode) =
            match node with
            | :? XText as t -> text.Append t.Value |> ignore
            | :? XElement as e when e.Name.LocalName = "c" || e.Name.LocalName = "code" ->
                text.Append("`").Append(e.Value).Append("`") |> ignore
            | :? XElement as e when
                e.Name.LocalName = "see"
                || e.Name.LocalName = "paramref"
                || e.Name.LocalName = "typeparamref"
                ->
                let target =
                    [ "cref"; "name"; "langword" ]
                    |> List.tryPick (fun a ->
                        match e.Attribute(XName.Get a) with
                        | null -> None
                        | v -> Some v.Value)
                    |> Option.defaultValue e.Value

                let target = Regex.Replace(target, "^[A-Z]:", "")
                text.Append("`").Append(target.Split('.') |> Array.last).Append("`") |> ignore
            | :? XElement as e ->
                for child in e.Nodes() do
                    walk child
            | _ -> ()

        for node in summary.Nodes() do
            walk node

        let collapsed = Regex.Replace(text.ToString(), @"\s+", " ").Trim()
        if collapsed = "" then None else Some collapsed

/// The first sentence: up to the first '.', '!' or '?' followed by a space and a capital (or the end),
/// so that "e.g. the" or "0.5" do not cut it short.
let firstSentence (text: string) =
    let m =
        Regex.Match(text, @"^.*?(?<!\b(e\.g|i\.e|cf|vs|etc|resp|approx|Eq|Fig|Ref|al))[.!?](?=\s+[A-Z(`\[""]|\s*$)")

    if m.Success then m.Value else text

let docFor (ids: string list) =
    ids
    |> List.tryPick (fun id ->
        xmlDocs
        |> List.tryPick (fun (name, m) ->
            if name = id || name.StartsWith(id + "(") || name.StartsWith(id + "``") then
                summaryText m
            else
                None))

let describe ids =
    match docFor ids with
    | Some s -> firstSentence s
    | None -> "(undocumented)"

let xmlTypeName (t: Type) = t.FullName.Replace('+', '.')

// ---- members of a module ------------------------------------------------------------------------

/// F# operator names from their compiled op_ names: the standard ones, then the token encoding of
/// custom operators (op_MinusMinusGreater = -->).
let operatorNames =
    dict
        [
            "Addition", "+"
            "Subtraction", "-"
            "Multiply", "*"
            "Division", "/"
            "Modulus", "%"
            "Exponentiation", "**"
            "PipeRight", "|>"
            "PipeLeft", "<|"
            "ComposeRight", ">>"
            "ComposeLeft", "<<"
            "Equality", "="
            "Inequality", "<>"
            "LessThan", "<"
            "GreaterThan", ">"
            "LessThanOrEqual", "<="
            "GreaterThanOrEqual", ">="
            "Dereference", "!"
            "ColonEquals", ":="
            "Append", "@"
            "Concatenate", "^"
            "UnaryNegation", "~-"
            "UnaryPlus", "~+"
            "Range", ".."
            "RangeStep", ".. .."
            "BooleanAnd", "&&"
            "BooleanOr", "||"
            "BitwiseAnd", "&&&"
            "BitwiseOr", "|||"
            "ExclusiveOr", "^^^"
            "LeftShift", "<<<"
            "RightShift", ">>>"
            "LogicalNot", "~~~"
            "PipeRight2", "||>"
            "PipeRight3", "|||>"
            "PipeLeft2", "<||"
            "PipeLeft3", "<|||"
        ]

let operatorTokens =
    [
        "Greater", ">"
        "Less", "<"
        "Plus", "+"
        "Minus", "-"
        "Multiply", "*"
        "Divide", "/"
        "Equals", "="
        "Bar", "|"
        "Amp", "&"
        "Dollar", "$"
        "Percent", "%"
        "At", "@"
        "Hat", "^"
        "Bang", "!"
        "Qmark", "?"
        "Dot", "."
        "Colon", ":"
        "Twiddle", "~"
        "Hash", "#"
    ]

let operatorName (compiled: string) =
    if not (compiled.StartsWith "op_") then
        None
    else
        let body = compiled.Substring 3

        if operatorNames.ContainsKey body then
            Some operatorNames[body]
        else
            let rec decode (rest: string) acc =
                if rest = "" then
                    Some(String.concat "" (List.rev acc))
                else
                    match operatorTokens |> List.tryFind (fun (token, _) -> rest.StartsWith token) with
                    | Some(token, op) -> decode (rest.Substring token.Length) (op :: acc)
                    | None -> None

            decode body []

let sourceName (m: MemberInfo) =
    attributeString "Microsoft.FSharp.Core.CompilationSourceNameAttribute" m.CustomAttributes
    |> Option.orElse (operatorName m.Name)
    |> Option.defaultValue m.Name

let codeSpan (s: string) =
    if s.Contains "`" then "`` " + s + " ``" else "`" + s + "`"

let identifier (s: string) =
    if Regex.IsMatch(s, "^[A-Za-z_][A-Za-z0-9_']*$") then
        s
    elif s.StartsWith "|" then
        "(" + s + ")" // active pattern
    elif Regex.IsMatch(s, @"^[!%&*+\-./<=>?@^|~]+$") then
        "( " + s + " )" // operator
    else
        "``" + s + "``"

let parameterText (p: ParameterInfo) =
    let t = typeName TupleElement p.ParameterType
    if String.IsNullOrEmpty p.Name then t else p.Name + ": " + t

/// `name : a: A -> b: B * c: C -> R`, the curried groups taken from CompilationArgumentCounts.
let functionSignature (m: MethodInfo) =
    let parameters = m.GetParameters()

    let counts =
        m.CustomAttributes
        |> Seq.tryFind (fun a -> a.AttributeType.FullName = "Microsoft.FSharp.Core.CompilationArgumentCountsAttribute")
        |> Option.map (fun a ->
            a.ConstructorArguments[0].Value
            :?> Collections.ObjectModel.ReadOnlyCollection<CustomAttributeTypedArgument>
            |> Seq.map (fun v -> Convert.ToInt32 v.Value)
            |> Seq.toList)
        |> Option.defaultValue (
            if parameters.Length = 0 then
                [ 0 ]
            else
                [ parameters.Length ]
        )

    let groups =
        let mutable next = 0

        [
            for count in counts ->
                if count = 0 then
                    "unit"
                else
                    let group = parameters[next .. next + count - 1]
                    next <- next + count
                    group |> Array.map parameterText |> String.concat " * "
        ]

    let result =
        let r = m.ReturnType
        let text = typeName Top r

        if
            r.IsGenericType
            && r.GetGenericTypeDefinition().FullName = "Microsoft.FSharp.Core.FSharpFunc`2"
        then
            "(" + text + ")"
        else
            text

    identifier (sourceName m) + " : " + String.concat " -> " (groups @ [ result ])

let flags =
    BindingFlags.Public
    ||| BindingFlags.Static
    ||| BindingFlags.Instance
    ||| BindingFlags.DeclaredOnly

/// Fields of a record or of a union case: `Name: string; Rows: float[][]`.
let fieldList (properties: PropertyInfo seq) =
    properties
    |> Seq.filter (fun p -> mappingKind p.CustomAttributes = Some Field)
    |> Seq.sortBy (fun p -> mappingIndex p.CustomAttributes |> Option.defaultValue 0)
    |> Seq.map (fun p -> p.Name + ": " + typeName Top p.PropertyType)
    |> String.concat "; "

/// Members written on a type (`member x.Total = ...`): properties and methods that are neither fields
/// nor compiler-generated.
let extraMembers (t: Type) =
    let generated (m: MemberInfo) =
        hasAttribute "System.Runtime.CompilerServices.CompilerGeneratedAttribute" m.CustomAttributes
        || mappingKind m.CustomAttributes |> Option.isSome

    t.GetMembers flags
    |> Array.filter (fun m -> not (generated m))
    |> Array.sortBy (fun m -> m.MetadataToken)
    |> Array.choose (fun m ->
        match m with
        | :? PropertyInfo as p when not (p.Name = "Tag" || (p.Name.StartsWith "Is" && t.IsAbstract)) ->
            let isStatic = (p.GetGetMethod()).IsStatic

            Some(
                (if isStatic then "static member " else "member ")
                + p.Name
                + " : "
                + typeName Top p.PropertyType,
                [ "P:" + xmlTypeName t + "." + p.Name ]
            )
        | :? MethodInfo as mi when not mi.IsSpecialName && mi.Name <> "ToString" && not (mi.Name.EndsWith "$W") ->
            Some(
                (if mi.IsStatic then "static member " else "member ") + functionSignature mi,
                [ "M:" + xmlTypeName t + "." + mi.Name ]
            )
        | _ -> None)

type Entry =
    {
        Text: string
        Description: string
        Details: string list
    }

let typeEntry (t: Type) : Entry option =
    let typeDoc = describe [ "T:" + xmlTypeName t ]

    let generics =
        if t.IsGenericTypeDefinition then
            "<"
            + (t.GetGenericArguments() |> Array.map (typeName Top) |> String.concat ", ")
            + ">"
        else
            ""

    let name = stripArity t.Name + generics

    let members () =
        extraMembers t
        |> Array.map (fun (text, ids) -> codeSpan text + " — " + describe ids)
        |> Array.toList

    match mappingKind t.CustomAttributes with
    | Some k when (k = RecordType || k = SumType) && hasPrivateRepresentation t.CustomAttributes ->
        let kind = if k = RecordType then "record" else "union"

        Some
            {
                Text = "type " + name + " (" + kind + ", private representation)"
                Description = typeDoc
                Details = members ()
            }
    | Some k when k = RecordType ->
        Some
            {
                Text = "type " + name + " = { " + fieldList (t.GetProperties flags) + " }"
                Description = typeDoc
                Details = members ()
            }
    | Some k when k = SumType ->
        let cases =
            FSharpType.GetUnionCases(t, BindingFlags.Public)
            |> Array.map (fun case ->
                let fields =
                    match case.GetFields() with
                    | [||] -> ""
                    | fs ->
                        let unnamed (p: PropertyInfo) = Regex.IsMatch(p.Name, "^Item[0-9]*$")

                        " of "
                        + (fs
                           |> Array.map (fun p ->
                               (if unnamed p then "" else p.Name + ": ") + typeName TupleElement p.PropertyType)
                           |> String.concat " * ")
                // A case without a summary is listed bare: most cases are self-explanatory.
                match
                    docFor
                        [
                            "T:" + xmlTypeName t + "." + case.Name
                            "P:" + xmlTypeName t + "." + case.Name
                        ]
                with
                | Some doc -> codeSpan (case.Name + fields) + " — " + firstSentence doc
                | None -> codeSpan (case.Name + fields))
            |> Array.toList

        Some
            {
                Text = "type " + name + " (union)"
                Description = typeDoc
                Details = cases @ members ()
            }
    | Some k when k = Exception ->
        Some
            {
                Text = "exception " + name + " of " + fieldList (t.GetProperties flags)
                Description = typeDoc
                Details = []
            }
    | Some k when k = Module -> None
    | _ when typeof<Delegate>.IsAssignableFrom t ->
        Some
            {
                Text = "delegate " + name
                Description = typeDoc
                Details = []
            }
    | _ when t.IsEnum ->
        Some
            {
                Text = "enum " + name + " = " + String.Join(" | ", Enum.GetNames t)
                Description = typeDoc
                Details = []
            }
    | _ ->
        let kind =
            if t.IsInterface then "interface"
            elif t.IsValueType then "struct"
            else "class"

        Some
            {
                Text = "type " + name + " (" + kind + ")"
                Description = typeDoc
                Details = members ()
            }

let moduleEntries (t: Type) : Entry list =
    let declared = t.GetMembers flags |> Array.sortBy (fun m -> m.MetadataToken)

    [
        for m in declared do
            match m with
            | :? Type as nested when isVisible nested && not (isModule nested) && not (nested.Name.Contains "@") ->
                match typeEntry nested with
                | Some e -> e
                | None -> ()
            | :? FieldInfo as f when f.IsPublic && f.IsLiteral ->
                {
                    Text =
                        identifier f.Name
                        + " : "
                        + typeName Top f.FieldType
                        + " = "
                        + sprintf "%A" (f.GetRawConstantValue())
                    Description = describe [ "F:" + xmlTypeName t + "." + f.Name; "P:" + xmlTypeName t + "." + f.Name ]
                    Details = []
                }
            | :? PropertyInfo as p when mappingKind p.CustomAttributes = Some Value ->
                {
                    Text = identifier (sourceName p) + " : " + typeName Top p.PropertyType
                    Description = describe [ "P:" + xmlTypeName t + "." + p.Name ]
                    Details = []
                }
            | :? MethodInfo as mi when
                mi.IsPublic
                && (not mi.IsSpecialName || mi.Name.StartsWith "op_")
                && not (mi.Name.EndsWith "$W") // $W: witness-passing twin of an inline function
                && not (hasAttribute "System.Runtime.CompilerServices.CompilerGeneratedAttribute" mi.CustomAttributes)
                ->
                {
                    Text = functionSignature mi
                    Description = describe [ "M:" + xmlTypeName t + "." + mi.Name ]
                    Details = []
                }
            | _ -> ()
    ]

/// Type abbreviations are erased from the assembly; their XML docs ("T:Module.Name" with no such type) remain.
let abbreviationEntries (t: Type) =
    let prefix = "T:" + xmlTypeName t + "."

    xmlDocs
    |> List.choose (fun (name, m) ->
        if name.StartsWith prefix then
            let short = name.Substring prefix.Length

            if
                short.Contains "."
                || not (isNull (t.GetNestedType(short, BindingFlags.Public ||| BindingFlags.NonPublic)))
            then
                None
            else
                Some
                    {
                        Text = "type " + short + " (abbreviation, shown expanded in the signatures)"
                        Description =
                            (summaryText m
                             |> Option.map firstSentence
                             |> Option.defaultValue "(undocumented)")
                        Details = []
                    }
        else
            None)

// ---- the document -------------------------------------------------------------------------------

let modules =
    assembly.GetTypes()
    |> Array.filter (fun t -> isVisible t && isModule t)
    |> Array.map (fun t -> fullModuleName t, t)
    |> Array.sortWith (fun (a, _) (b, _) -> String.CompareOrdinal(a, b))

/// Public types declared directly in a namespace (outside any module), by namespace.
let namespaceTypes =
    assembly.GetTypes()
    |> Array.filter (fun t -> t.IsPublic && not t.IsNested && not (isModule t))
    |> Array.groupBy (fun t -> if isNull t.Namespace then "" else t.Namespace)
    |> Array.map (fun (ns, ts) -> ns, ts |> Array.sortBy (fun t -> t.MetadataToken))
    |> Array.sortWith (fun (a, _) (b, _) -> String.CompareOrdinal(a, b))

let render () =
    let out = StringBuilder()
    let line (s: string) = out.Append(s).Append('\n') |> ignore
    line "# F# API reference (`GenStats.Validation`)"
    line ""
    line "<!-- Generated by `dotnet fsi scripts/fsharp-api.fsx` from the compiled assembly and its XML docs;"
    line "     do not edit by hand: scripts/check-docs.sh fails when this file is out of date. -->"
    line ""
    line "Every public F# module of `src/GenStats.Validation`, with each function's signature (curried"
    line "arguments separated by `->`, type abbreviations expanded) and the first sentence of its `///`"
    line "summary. \"(undocumented)\" marks a missing summary."
    line ""
    let mutable functions = 0
    let mutable undocumented = 0

    let sections =
        [
            for name, t in modules ->
                name,
                "## " + name,
                describe [ "T:" + xmlTypeName t ],
                (fun () -> abbreviationEntries t @ moduleEntries t)
            for ns, ts in namespaceTypes ->
                ns,
                "## " + ns + " (types outside modules)",
                "Types declared in the namespace itself.",
                (fun () -> ts |> Array.toList |> List.choose typeEntry)
        ]
        |> List.sortWith (fun (a, _, _, _) (b, _, _, _) -> String.CompareOrdinal(a, b))
    // Contents: GitHub's heading anchors (lower case, punctuation dropped, spaces → '-').
    let anchor (heading: string) =
        Regex.Replace(heading.Substring(3).ToLowerInvariant(), @"[^a-z0-9 _-]", "").Replace(' ', '-')

    line "Modules:"
    line ""

    for name, heading, _, _ in sections do
        line ("- [" + name + "](#" + anchor heading + ")")

    line ""

    for _, heading, summary, entriesOf in sections do
        line heading
        line ""
        line summary
        line ""
        let entries = entriesOf ()

        if entries.IsEmpty then
            line "(no public members)"
        else
            for e in entries do
                functions <- functions + 1

                if e.Description = "(undocumented)" then
                    undocumented <- undocumented + 1

                line ("- " + codeSpan e.Text + " — " + e.Description)

                for d in e.Details do
                    line ("  - " + d)

        line ""

    out.ToString().TrimEnd('\n') + "\n", modules.Length, functions, undocumented

// ---- a short line diff for --check --------------------------------------------------------------

let diff (oldLines: string[]) (newLines: string[]) =
    let n, m = oldLines.Length, newLines.Length
    let lcs = Array2D.zeroCreate (n + 1) (m + 1)

    for i in n - 1 .. -1 .. 0 do
        for j in m - 1 .. -1 .. 0 do
            lcs[i, j] <-
                if oldLines[i] = newLines[j] then
                    lcs[i + 1, j + 1] + 1
                else
                    max lcs[i + 1, j] lcs[i, j + 1]

    let ops = ResizeArray<char * string * int>() // (' ' | '-' | '+', text, line in the committed file)
    let mutable i, j = 0, 0

    while i < n || j < m do
        if i < n && j < m && oldLines[i] = newLines[j] then
            ops.Add((' ', oldLines[i], i + 1))
            i <- i + 1
            j <- j + 1
        elif i < n && (j = m || lcs[i + 1, j] >= lcs[i, j + 1]) then
            ops.Add(('-', oldLines[i], i + 1))
            i <- i + 1
        else
            ops.Add(('+', newLines[j], i + 1))
            j <- j + 1

    let changed =
        [
            for k in 0 .. ops.Count - 1 do
                let (c, _, _) = ops[k] in

                if c <> ' ' then
                    k
        ]

    let keep = Collections.Generic.HashSet<int>()

    for k in changed do
        for c in max 0 (k - 2) .. min (ops.Count - 1) (k + 2) do
            keep.Add c |> ignore

    let lines = ResizeArray<string>()
    let mutable previous = -2

    for k in 0 .. ops.Count - 1 do
        if keep.Contains k then
            let (c, text, at) = ops[k]

            if k <> previous + 1 then
                lines.Add($"@@ {docRelative} line {at} @@")

            lines.Add(string c + text)
            previous <- k

    lines |> Seq.toList

let text, moduleCount, memberCount, undocumentedCount = render ()

if check then
    let committed =
        if File.Exists docPath then
            File.ReadAllText(docPath).Replace("\r\n", "\n")
        else
            ""

    if committed = text then
        printfn
            "%s is current (%d modules, %d entries, %d undocumented)"
            docRelative
            moduleCount
            memberCount
            undocumentedCount
    else
        let lines = diff (committed.Split('\n')) (text.Split('\n'))
        printfn "--- %s (committed)" docRelative
        printfn "+++ %s (generated from the built assembly)" docRelative

        for l in List.truncate 60 lines do
            printfn "%s" l

        if lines.Length > 60 then
            printfn "... (%d more diff lines)" (lines.Length - 60)

        printfn "%s is out of date: run dotnet fsi scripts/fsharp-api.fsx" docRelative
        exit 1
else
    File.WriteAllText(docPath, text)
    printfn "wrote %s (%d modules, %d entries, %d undocumented)" docRelative moduleCount memberCount undocumentedCount
