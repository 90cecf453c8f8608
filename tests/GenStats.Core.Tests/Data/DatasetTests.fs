module GenStats.Tests.Data.DatasetTests

open System
open NUnit.Framework
open GenStats.Data

/// NUnit 4 overloads of Is.EqualTo are ambiguous for F# arrays; box the expectation.
let inline private equalTo (expected: 'T) = Is.EqualTo(box expected)

let private sample () =
    Dataset.Create([| "x"; "y"; "w" |], [| [| 1.0; 2.0; 3.0 |]; [| 10.0; 20.0; 30.0 |]; [| 0.5; 1.0; -0.25 |] |])

[<Test>]
let ``columns, count, roles and weights`` () =
    let d = (sample ()).WithRoles([| "x" |], [| "y" |], "w")
    Assert.That(d.Count, equalTo 3)
    Assert.That(d.ColumnNames, equalTo [| "x"; "y"; "w" |])
    Assert.That(d.Features, equalTo [| "x" |])
    Assert.That(d.Conditions, equalTo [| "y" |])
    Assert.That(d.Weights, equalTo [| 0.5; 1.0; -0.25 |])
    Assert.That((sample ()).Weights, Is.Null)

[<Test>]
let ``rows are events by columns in the requested order`` () =
    let rows = (sample ()).Rows [| "y"; "x" |]
    Assert.That(rows.Length, equalTo 3)
    Assert.That(rows.[1], equalTo [| 20.0; 2.0 |])

[<Test>]
let ``select keeps roles and allows repeats`` () =
    let d = (sample ()).WithRoles([| "x" |], weight = "w")
    let s = d.Select [| 2; 2; 0 |]
    Assert.That(s.Column "x", equalTo [| 3.0; 3.0; 1.0 |])
    Assert.That(s.WeightColumn, equalTo "w")
    Assert.Throws<ArgumentOutOfRangeException>(fun () -> d.Select [| 3 |] |> ignore) |> ignore

[<Test>]
let ``with column adds or replaces without touching the original`` () =
    let d = sample ()
    let added = d.WithColumn("z", [| 7.0; 8.0; 9.0 |])
    let replaced = d.WithColumn("x", [| 0.0; 0.0; 0.0 |])
    Assert.That(added.HasColumn "z" && not (d.HasColumn "z"))
    Assert.That(replaced.Column "x", equalTo [| 0.0; 0.0; 0.0 |])
    Assert.That(d.Column "x", equalTo [| 1.0; 2.0; 3.0 |])

[<Test>]
let ``bad construction is rejected with the offending name`` () =
    let ragged = Assert.Throws<ArgumentException>(fun () -> Dataset.Create([| "a"; "b" |], [| [| 1.0 |]; [| 1.0; 2.0 |] |]) |> ignore)
    Assert.That(ragged.Message, Does.Contain "'b' has 2 values")
    let dup = Assert.Throws<ArgumentException>(fun () -> Dataset.Create([| "a"; "a" |], [| [| 1.0 |]; [| 1.0 |] |]) |> ignore)
    Assert.That(dup.Message, Does.Contain "'a' appears twice")
    let missing = Assert.Throws<ArgumentException>(fun () -> (sample ()).Column "nope" |> ignore)
    Assert.That(missing.Message, Does.Contain "'nope'")
    let twoRoles = Assert.Throws<ArgumentException>(fun () -> (sample ()).WithRoles([| "x"; "w" |], weight = "w") |> ignore)
    Assert.That(twoRoles.Message, Does.Contain "w")
