module GenStats.Tests.Data.DatasetTests

open Expecto
open System
open GenStats.Data
open GenStats.Tests.Expectations

let private sample () =
    Dataset.Create([| "x"; "y"; "w" |], [| [| 1.0; 2.0; 3.0 |]; [| 10.0; 20.0; 30.0 |]; [| 0.5; 1.0; -0.25 |] |])

let ``columns, count, roles and weights`` () =
    let d = (sample ()).WithRoles([| "x" |], [| "y" |], "w")
    Expect.equal d.Count 3 "d.Count"
    Expect.sequenceEqual d.ColumnNames ([| "x"; "y"; "w" |]) "d.ColumnNames"
    Expect.sequenceEqual d.Features ([| "x" |]) "d.Features"
    Expect.sequenceEqual d.Conditions ([| "y" |]) "d.Conditions"
    Expect.equal d.Weights ([| 0.5; 1.0; -0.25 |]) "d.Weights"
    Expect.isNull ((sample ()).Weights) "(sample ()).Weights"

let ``rows are events by columns in the requested order`` () =
    let rows = (sample ()).Rows [| "y"; "x" |]
    Expect.equal rows.Length 3 "rows.Length"
    Expect.equal rows.[1] ([| 20.0; 2.0 |]) "rows.[1]"

let ``select keeps roles and allows repeats`` () =
    let d = (sample ()).WithRoles([| "x" |], weight = "w")
    let s = d.Select [| 2; 2; 0 |]
    Expect.equal (s.Column "x") ([| 3.0; 3.0; 1.0 |]) "s.Column \"x\""
    Expect.equal s.WeightColumn "w" "s.WeightColumn"

    raises<ArgumentOutOfRangeException> "d.Select [| 3 |] |> ignore" (fun () -> d.Select [| 3 |] |> ignore)
    |> ignore

let ``with column adds or replaces without touching the original`` () =
    let d = sample ()
    let added = d.WithColumn("z", [| 7.0; 8.0; 9.0 |])
    let replaced = d.WithColumn("x", [| 0.0; 0.0; 0.0 |])
    Expect.isTrue (added.HasColumn "z" && not (d.HasColumn "z")) "added.HasColumn \"z\" && not (d.HasColumn \"z\")"
    Expect.equal (replaced.Column "x") ([| 0.0; 0.0; 0.0 |]) "replaced.Column \"x\""
    Expect.equal (d.Column "x") ([| 1.0; 2.0; 3.0 |]) "d.Column \"x\""

let ``bad construction is rejected with the offending name`` () =
    let ragged =
        raises<ArgumentException>
            "Dataset.Create([| \"a\"; \"b\" |], [| [| 1.0 |]; [| 1.0; 2.0 |] |]) |> ..."
            (fun () -> Dataset.Create([| "a"; "b" |], [| [| 1.0 |]; [| 1.0; 2.0 |] |]) |> ignore)

    contains "'b' has 2 values" ragged.Message "ragged.Message"

    let dup =
        raises<ArgumentException> "Dataset.Create([| \"a\"; \"a\" |], [| [| 1.0 |]; [| 1.0 |] |]) |> ignore" (fun () ->
            Dataset.Create([| "a"; "a" |], [| [| 1.0 |]; [| 1.0 |] |]) |> ignore)

    contains "'a' appears twice" dup.Message "dup.Message"

    let missing =
        raises<ArgumentException> "(sample ()).Column \"nope\" |> ignore" (fun () ->
            (sample ()).Column "nope" |> ignore)

    contains "'nope'" missing.Message "missing.Message"

    let twoRoles =
        raises<ArgumentException> "(sample ()).WithRoles([| \"x\"; \"w\" |], weight = \"w\") |> ignore" (fun () ->
            (sample ()).WithRoles([| "x"; "w" |], weight = "w") |> ignore)

    contains "w" twoRoles.Message "twoRoles.Message"

[<Tests>]
let tests =
    testList
        "Data.Dataset"
        [
            testCase "columns, count, roles and weights" ``columns, count, roles and weights``
            testCase
                "rows are events by columns in the requested order"
                ``rows are events by columns in the requested order``
            testCase "select keeps roles and allows repeats" ``select keeps roles and allows repeats``
            testCase
                "with column adds or replaces without touching the original"
                ``with column adds or replaces without touching the original``
            testCase
                "bad construction is rejected with the offending name"
                ``bad construction is rejected with the offending name``
        ]
