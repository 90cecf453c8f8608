module GenStats.Tests.Data.CsvTests

open Expecto
open System
open System.IO
open FsCheck
open FsCheck.FSharp
open GenStats.Data
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private read (text: string) (options: CsvOptions) =
    use reader = new StringReader(text)
    Csv.Read(reader, "test.csv", options)

let private readDefault text = read text CsvOptions.Default

let private failure (text: string) =
    (raises<InvalidDataException> "reading the text" (fun () -> readDefault text |> ignore)).Message

let ``comma separated file is read in the invariant culture`` () =
    let d = readDefault "a,b\n1.5,-2e-3\n3,4\n"
    Expect.equal (d.Column "a") ([| 1.5; 3.0 |]) "d.Column \"a\""
    Expect.equal (d.Column "b") ([| -0.002; 4.0 |]) "d.Column \"b\""

let ``a tab in the header means tab separated, so a decimal comma stays one bad field`` () =
    // "1,5" is one field of a tab-separated file, and not a number in the invariant culture.
    let msg = failure "a\tb\n1,5\t2\n"
    contains "column 'a'" msg "msg"
    contains "'1,5'" msg "msg"

let ``tab separated values are detected and parsed`` () =
    let d = readDefault "x\ty\tw\n1\t2\t0.5\n3\t4\t-1\n"
    Expect.sequenceEqual d.ColumnNames ([| "x"; "y"; "w" |]) "d.ColumnNames"
    Expect.equal (d.Column "w") ([| 0.5; -1.0 |]) "d.Column \"w\""

let ``an explicit separator overrides detection`` () =
    let d = read "a;b\n" (CsvOptions(Nullable ','))
    Expect.sequenceEqual d.ColumnNames ([| "a;b" |]) "d.ColumnNames"

let ``a bad number names the file, the line and the column`` () =
    let msg = failure "a,b\n1,2\n3,oops\n"
    contains "test.csv" msg "msg"
    contains "line 3" msg "msg"
    contains "column 'b'" msg "msg"
    contains "'oops'" msg "msg"

let ``a ragged row names the file and the line`` () =
    let msg = failure "a,b\n1,2\n3\n"
    contains "test.csv, line 3" msg "msg"
    contains "1 fields but the header has 2 columns" msg "msg"

let ``a missing required column names the file and the columns found`` () =
    let ex =
        raises<InvalidDataException>
            "read \"a,b\\n1,2\\n\" (CsvOptions(RequiredColumns = [| \"w\" |])) |> ignore"
            (fun () -> read "a,b\n1,2\n" (CsvOptions(RequiredColumns = [| "w" |])) |> ignore)

    contains "test.csv" ex.Message "ex.Message"
    contains "no column 'w'" ex.Message "ex.Message"
    contains "a, b" ex.Message "ex.Message"

let ``Columns reads only the named columns in that order and never parses the others`` () =
    let d =
        read "id,x,label,y\n1,2.5,s,4\n2,3.5,b,5\n" (CsvOptions(Columns = [| "y"; "x" |]))

    Expect.sequenceEqual d.ColumnNames [| "y"; "x" |] "names"
    Expect.equal (d.Column "x") [| 2.5; 3.5 |] "x"

    let ex =
        raises<InvalidDataException> "missing" (fun () -> read "a,b\n1,2\n" (CsvOptions(Columns = [| "c" |])) |> ignore)

    contains "no column 'c'" ex.Message "ex.Message"

let ``empty files, empty and duplicate column names are rejected`` () =
    contains "empty" (failure "") "failure \"\""
    contains "column 2 has an empty name" (failure "a,,b\n1,2,3\n") "failure \"a,,b\\n1,2,3\\n\""
    contains "'a' appears twice" (failure "a,a\n1,2\n") "failure \"a,a\\n1,2\\n\""

let ``a missing file is reported by name`` () =
    let ex =
        raises<FileNotFoundException> "Csv.Read \"/nonexistent/genstats.csv\" |> ignore" (fun () ->
            Csv.Read "/nonexistent/genstats.csv" |> ignore)

    contains "/nonexistent/genstats.csv" ex.Message "ex.Message"

let ``blank lines are skipped and line numbers still count them`` () =
    let msg = failure "a\n1\n\n2\nx\n"
    contains "line 5" msg "msg"

let ``an unclosed quote, a non-finite cell and a NUL header name the line and column`` () =
    contains "test.csv, line 3: a field has a stray or unclosed quote" (failure "a,b\n1,2\n\"3,4\n5,6\n") "unclosed"
    contains "test.csv, line 2, column 'b' (field 2): 'NaN' is not a finite number" (failure "a,b\n1,NaN\n") "NaN"
    // 1e999 parses to +∞ in .NET: refused as not finite, not silently kept.
    contains "line 2, column 'a' (field 1): '1e999' is not a finite number" (failure "a\n1e999\n") "overflow"
    contains "line 1: the header holds a NUL byte" (failure "a\u0000,b\n1,2\n") "NUL"

let ``a byte that is not UTF-8 is reported with its true line, a directory as a directory`` () =
    let dir =
        Path.Combine(Path.GetTempPath(), sprintf "genstats-csv-%s" (Guid.NewGuid().ToString("N")))

    Directory.CreateDirectory dir |> ignore

    try
        let path = Path.Combine(dir, "t.csv")
        // Line 4 holds 0xC3 0x28: a lead byte followed by a byte that cannot continue it.
        File.WriteAllBytes(path, Array.append ("a,b\n1,2\n3,4\n"B) [| 0xC3uy; 0x28uy; byte ','; byte '5'; byte '\n' |])

        let ex =
            raises<InvalidDataException> "bad UTF-8" (fun () -> Csv.Read path |> ignore)

        contains "t.csv, line 4: a byte sequence is not valid UTF-8" ex.Message "ex.Message"
        Expect.equal (Csv.FirstInvalidUtf8Line path) (Nullable 4) "FirstInvalidUtf8Line"

        let ex =
            raises<FileNotFoundException> "a directory" (fun () -> Csv.Read dir |> ignore)

        contains "is a directory; give a file" ex.Message "ex.Message"
    finally
        Directory.Delete(dir, true)

let private table =
    gen {
        let! rows = Gen.choose (0, 30)
        let! cols = Gen.choose (1, 4)

        let value =
            Gen.oneof
                [
                    Gen.choose (-1_000_000, 1_000_000) |> Gen.map (fun i -> float i / 7.0)
                    Gen.elements [ 0.0; -0.0; 1e-300; 1.7976931348623157e308; Math.PI; 0.1 ]
                ]

        let! data = Gen.arrayOfLength cols (Gen.arrayOfLength rows value)
        return data
    }

let ``write then read returns every value bit for bit, comma or tab`` () =
    Prop.forAll (Arb.fromGen (Gen.zip table (Gen.elements [ ','; '\t' ]))) (fun (data, sep) ->
        let names = data |> Array.mapi (fun i _ -> sprintf "c%d" i)
        let d = Dataset.Create(names, data)
        use writer = new StringWriter()
        Csv.Write(d, writer, sep)
        let back = readDefault (writer.ToString())

        back.ColumnNames |> Seq.toArray = names
        && names
           |> Array.forall (fun n ->
               Array.forall2
                   (fun (x: float) y -> BitConverter.DoubleToInt64Bits x = BitConverter.DoubleToInt64Bits y)
                   (d.Column n)
                   (back.Column n)))

let ``writing a file is atomic and round trips through the file system`` () =
    let path =
        Path.Combine(Path.GetTempPath(), sprintf "genstats-csv-%s.csv" (Guid.NewGuid().ToString("N")))

    try
        let d = Dataset.Create([| "x"; "w" |], [| [| 1.0; 2.5 |]; [| 0.1; -3.0 |] |])
        Csv.Write(d, path, CsvOptions(Nullable '\t'))
        Expect.equal (File.ReadAllText path) "x\tw\n1\t0.1\n2.5\t-3\n" "File.ReadAllText path"
        let back = Csv.Read path
        Expect.equal (back.Column "w") ([| 0.1; -3.0 |]) "back.Column \"w\""

        let leftovers =
            Directory.GetFiles(Path.GetDirectoryName path, "." + Path.GetFileName path + "*.tmp")

        Expect.isEmpty leftovers "leftover temporary files"
    finally
        File.Delete path

[<Tests>]
let tests =
    testList
        "Data.Csv"
        [
            testCase
                "comma separated file is read in the invariant culture"
                ``comma separated file is read in the invariant culture``
            testCase
                "a tab in the header means tab separated, so a decimal comma stays one bad field"
                ``a tab in the header means tab separated, so a decimal comma stays one bad field``
            testCase "tab separated values are detected and parsed" ``tab separated values are detected and parsed``
            testCase
                "Columns reads only the named columns in that order and never parses the others"
                ``Columns reads only the named columns in that order and never parses the others``
            testCase "an explicit separator overrides detection" ``an explicit separator overrides detection``
            testCase
                "a bad number names the file, the line and the column"
                ``a bad number names the file, the line and the column``
            testCase "a ragged row names the file and the line" ``a ragged row names the file and the line``
            testCase
                "a missing required column names the file and the columns found"
                ``a missing required column names the file and the columns found``
            testCase
                "empty files, empty and duplicate column names are rejected"
                ``empty files, empty and duplicate column names are rejected``
            testCase "a missing file is reported by name" ``a missing file is reported by name``
            testCase
                "an unclosed quote, a non-finite cell and a NUL header name the line and column"
                ``an unclosed quote, a non-finite cell and a NUL header name the line and column``
            testCase
                "a byte that is not UTF-8 is reported with its true line, a directory as a directory"
                ``a byte that is not UTF-8 is reported with its true line, a directory as a directory``
            testCase
                "blank lines are skipped and line numbers still count them"
                ``blank lines are skipped and line numbers still count them``
            testPropertyN
                100
                "write then read returns every value bit for bit, comma or tab"
                ``write then read returns every value bit for bit, comma or tab``
            testCase
                "writing a file is atomic and round trips through the file system"
                ``writing a file is atomic and round trips through the file system``
        ]
