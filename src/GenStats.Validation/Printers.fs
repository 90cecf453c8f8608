/// Readable text for results, datasets and option records, for `fsi.AddPrinter` (registered by
/// validation/GenStats.fsx) and for scripts' own output: `%A` of a C# record prints arrays as
/// `System.String[]`; these show their elements.
module GenStats.Validation.Printers

open System
open System.Collections
open System.Globalization
open System.Reflection
open GenStats.Data

let private maxItems = 8

/// One value as text: numbers with %g, strings quoted, sequences with their first elements.
let rec value (x: obj) : string =
    match x with
    | null -> "null"
    | :? string as s -> sprintf "%A" s
    | :? float as f -> f.ToString("G6", CultureInfo.InvariantCulture)
    | :? float32 as f -> f.ToString("G6", CultureInfo.InvariantCulture)
    | :? IEnumerable as xs ->
        let items = xs |> Seq.cast<obj> |> Seq.truncate (maxItems + 1) |> Seq.toList
        let shown = items |> List.truncate maxItems |> List.map value
        let more = if items.Length > maxItems then [ "…" ] else []
        "[" + String.Join("; ", shown @ more) + "]"
    | _ -> x.ToString()

let private properties (x: obj) =
    x.GetType().GetProperties(BindingFlags.Public ||| BindingFlags.Instance)
    |> Array.filter (fun p -> p.GetIndexParameters().Length = 0 && p.Name <> "EqualityContract")

/// Any object as `Type { Name = value; … }`, every public property with arrays shown element by element.
let record (x: obj) : string =
    if isNull x then
        "null"
    else
        let fields =
            properties x
            |> Array.map (fun p -> sprintf "%s = %s" p.Name (value (p.GetValue x)))

        sprintf "%s { %s }" (x.GetType().Name) (String.Join("; ", fields))

/// A metric result as `Type: value ± uncertainty { other properties }` (any object with Value and Uncertainty).
let result (x: obj) : string =
    if isNull x then
        "null"
    else
        let ps = properties x

        let find name =
            ps |> Array.tryFind (fun p -> p.Name = name)

        match find "Value", find "Uncertainty" with
        | Some v, Some u ->
            let rest =
                ps
                |> Array.filter (fun p -> p.Name <> v.Name && p.Name <> u.Name)
                |> Array.map (fun p -> sprintf "%s = %s" p.Name (value (p.GetValue x)))

            sprintf
                "%s: %s ± %s { %s }"
                (x.GetType().Name)
                (value (v.GetValue x))
                (value (u.GetValue x))
                (String.Join("; ", rest))
        | _ -> record x

/// A dataset as its size, columns and roles.
let dataset (d: Dataset) : string =
    if isNull d then
        "null"
    else
        let roles =
            [
                if d.Features.Count > 0 then
                    sprintf "features %s" (value d.Features)
                if d.Conditions.Count > 0 then
                    sprintf "conditions %s" (value d.Conditions)
                match d.WeightColumn with
                | null -> ()
                | w -> sprintf "weights %A" w
            ]

        let roleText =
            if roles.IsEmpty then
                ""
            else
                "; " + String.Join("; ", roles)

        sprintf "Dataset: %d events × %d columns %s%s" d.Count d.ColumnNames.Count (value d.ColumnNames) roleText
