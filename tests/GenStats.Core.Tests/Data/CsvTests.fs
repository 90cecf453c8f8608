/// Fixed replay seed: every run draws the same cases, so a failure always reproduces.
[<FsCheck.NUnit.Properties(Replay = "(20261124,1013904223)")>]
module GenStats.Tests.Data.CsvTests

open System
open System.IO
open NUnit.Framework
open FsCheck
open FsCheck.FSharp
open FsCheck.NUnit
open GenStats.Data

/// NUnit 4 overloads of Is.EqualTo are ambiguous for F# arrays; box the expectation.
let inline private equalTo (expected: 'T) = Is.EqualTo(box expected)

let private read (text: string) (options: CsvOptions) =
    use reader = new StringReader(text)
    Csv.Read(reader, "test.csv", options)

let private readDefault text = read text CsvOptions.Default

let private failure (text: string) =
    Assert.Throws<InvalidDataException>(fun () -> readDefault text |> ignore).Message

[<Test>]
let ``comma separated file is read in the invariant culture`` () =
    let d = readDefault "a,b\n1.5,-2e-3\n3,4\n"
    Assert.That(d.Column "a", equalTo [| 1.5; 3.0 |])
    Assert.That(d.Column "b", equalTo [| -0.002; 4.0 |])

[<Test>]
let ``a tab in the header means tab separated, so a decimal comma stays one bad field`` () =
    // "1,5" is one field of a tab-separated file, and not a number in the invariant culture.
    let msg = failure "a\tb\n1,5\t2\n"
    Assert.That(msg, Does.Contain "column 'a'")
    Assert.That(msg, Does.Contain "'1,5'")

[<Test>]
let ``tab separated values are detected and parsed`` () =
    let d = readDefault "x\ty\tw\n1\t2\t0.5\n3\t4\t-1\n"
    Assert.That(d.ColumnNames, equalTo [| "x"; "y"; "w" |])
    Assert.That(d.Column "w", equalTo [| 0.5; -1.0 |])

[<Test>]
let ``an explicit separator overrides detection`` () =
    let d = read "a;b\n" (CsvOptions(Nullable ','))
    Assert.That(d.ColumnNames, equalTo [| "a;b" |])

[<Test>]
let ``a bad number names the file, the line and the column`` () =
    let msg = failure "a,b\n1,2\n3,oops\n"
    Assert.That(msg, Does.Contain "test.csv")
    Assert.That(msg, Does.Contain "line 3")
    Assert.That(msg, Does.Contain "column 'b'")
    Assert.That(msg, Does.Contain "'oops'")

[<Test>]
let ``a ragged row names the file and the line`` () =
    let msg = failure "a,b\n1,2\n3\n"
    Assert.That(msg, Does.Contain "test.csv, line 3")
    Assert.That(msg, Does.Contain "1 fields but the header has 2 columns")

[<Test>]
let ``a missing required column names the file and the columns found`` () =
    let ex = Assert.Throws<InvalidDataException>(fun () -> read "a,b\n1,2\n" (CsvOptions(RequiredColumns = [| "w" |])) |> ignore)
    Assert.That(ex.Message, Does.Contain "test.csv")
    Assert.That(ex.Message, Does.Contain "no column 'w'")
    Assert.That(ex.Message, Does.Contain "a, b")

[<Test>]
let ``empty files, empty and duplicate column names are rejected`` () =
    Assert.That(failure "", Does.Contain "empty")
    Assert.That(failure "a,,b\n1,2,3\n", Does.Contain "column 2 has an empty name")
    Assert.That(failure "a,a\n1,2\n", Does.Contain "'a' appears twice")

[<Test>]
let ``a missing file is reported by name`` () =
    let ex = Assert.Throws<FileNotFoundException>(fun () -> Csv.Read "/nonexistent/genstats.csv" |> ignore)
    Assert.That(ex.Message, Does.Contain "/nonexistent/genstats.csv")

[<Test>]
let ``blank lines are skipped and line numbers still count them`` () =
    let msg = failure "a\n1\n\n2\nx\n"
    Assert.That(msg, Does.Contain "line 5")

let private table =
    gen {
        let! rows = Gen.choose (0, 30)
        let! cols = Gen.choose (1, 4)
        let value =
            Gen.oneof [ Gen.choose (-1_000_000, 1_000_000) |> Gen.map (fun i -> float i / 7.0)
                        Gen.elements [ 0.0; -0.0; 1e-300; 1.7976931348623157e308; Math.PI; 0.1 ] ]
        let! data = Gen.arrayOfLength cols (Gen.arrayOfLength rows value)
        return data
    }

[<Property(MaxTest = 100)>]
let ``write then read returns every value bit for bit, comma or tab`` () =
    Prop.forAll (Arb.fromGen (Gen.zip table (Gen.elements [ ','; '\t' ]))) (fun (data, sep) ->
        let names = data |> Array.mapi (fun i _ -> sprintf "c%d" i)
        let d = Dataset.Create(names, data)
        use writer = new StringWriter()
        Csv.Write(d, writer, sep)
        let back = readDefault (writer.ToString())
        back.ColumnNames |> Seq.toArray = names
        && names |> Array.forall (fun n ->
            Array.forall2 (fun (x: float) y -> BitConverter.DoubleToInt64Bits x = BitConverter.DoubleToInt64Bits y) (d.Column n) (back.Column n)))

[<Test>]
let ``writing a file is atomic and round trips through the file system`` () =
    let path = Path.Combine(Path.GetTempPath(), sprintf "genstats-csv-%s.csv" (Guid.NewGuid().ToString("N")))
    try
        let d = Dataset.Create([| "x"; "w" |], [| [| 1.0; 2.5 |]; [| 0.1; -3.0 |] |])
        Csv.Write(d, path, CsvOptions(Nullable '\t'))
        Assert.That(File.ReadAllText path, equalTo "x\tw\n1\t0.1\n2.5\t-3\n")
        let back = Csv.Read path
        Assert.That(back.Column "w", equalTo [| 0.1; -3.0 |])
        let leftovers = Directory.GetFiles(Path.GetDirectoryName path, "." + Path.GetFileName path + "*.tmp")
        Assert.That(leftovers, Is.Empty)
    finally
        File.Delete path
