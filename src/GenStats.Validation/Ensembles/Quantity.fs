/// The final quantity an ensemble's spread is measured on, as text a command line can carry:
/// `mean(X)` (weighted mean ± standard error) or `fraction(X > c)` / `fraction(X < c)` (weighted
/// efficiency ± its linearised error, `FiguresOfMerit.efficiency`), where X is a column name or an
/// observable expression such as `mass(pt1,eta1,phi1,pt2,eta2,phi2)` (docs/observables.md).
module GenStats.Validation.Ensembles.Quantity

open System
open System.Globalization
open GenStats.Data
open GenStats.Validation
open GenStats.Validation.FiguresOfMerit

/// A parsed quantity.
type Quantity =
    | Mean of variable: string
    | Above of variable: string * threshold: float
    | Below of variable: string * threshold: float

let private allowed =
    "give mean(X), fraction(X > c) or fraction(X < c), where X is a column or an observable expression such as mass(pt1,eta1,phi1,pt2,eta2,phi2)"

/// Parses `mean(X)`, `fraction(X > c)` or `fraction(X < c)` (errors say what is allowed).
let parse (text: string) =
    let t = (if isNull text then "" else text).Trim()

    let inner (prefix: string) =
        if t.StartsWith(prefix + "(", StringComparison.OrdinalIgnoreCase) && t.EndsWith ")" then
            Some(t.Substring(prefix.Length + 1, t.Length - prefix.Length - 2).Trim())
        else
            None

    let variable (x: string) =
        if x = "" then
            invalidArg "quantity" (sprintf "'%s' names no variable; %s." t allowed)

        if x.Contains "(" then
            Observables.parse x |> ignore

        x

    match inner "mean", inner "fraction" with
    | Some x, _ -> Mean(variable x)
    | _, Some body ->
        let at = body.LastIndexOfAny [| '>'; '<' |]

        if at < 0 then
            invalidArg "quantity" (sprintf "'%s' has no > or <; %s." t allowed)

        let c = body.Substring(at + 1).Trim()

        match Double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture) with
        | true, v when Double.IsFinite v ->
            let x = variable (body.Substring(0, at).Trim())
            if body.[at] = '>' then Above(x, v) else Below(x, v)
        | _ -> invalidArg "quantity" (sprintf "'%s': the threshold '%s' is not a finite number; %s." t c allowed)
    | _ -> invalidArg "quantity" (sprintf "'%s' is not a quantity; %s." t allowed)

/// The quantity as text (what `parse` reads back).
let describe (q: Quantity) =
    let g (v: float) =
        v.ToString("R", CultureInfo.InvariantCulture)

    match q with
    | Mean x -> sprintf "mean(%s)" x
    | Above(x, c) -> sprintf "fraction(%s > %s)" x (g c)
    | Below(x, c) -> sprintf "fraction(%s < %s)" x (g c)

/// The columns the quantity reads.
let columns (q: Quantity) =
    let x =
        match q with
        | Mean x
        | Above(x, _)
        | Below(x, _) -> x

    if x.Contains "(" then
        List.ofSeq (Observables.parse x).Columns
    else
        [ x ]

/// Measures the quantity on a dataset (its weight column, if any, weights the events).
let evaluate (q: Quantity) (data: Dataset) =
    let values (x: string) =
        if x.Contains "(" then
            Observables.evaluate x data
        else
            data.Column x

    let w = Option.ofObj data.Weights

    match q with
    | Mean x ->
        let v = values x

        {
            Value = Descriptive.mean w v
            Uncertainty = Descriptive.standardError w v
        }
    | Above(x, c) -> efficiency w (values x |> Array.map (fun v -> v > c))
    | Below(x, c) -> efficiency w (values x |> Array.map (fun v -> v < c))
