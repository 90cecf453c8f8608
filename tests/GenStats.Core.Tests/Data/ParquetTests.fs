module GenStats.Tests.Data.ParquetTests

open Expecto
open System
open System.IO
open GenStats.Data
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private allTypes () =
    GenStats.Tests.Repository.file [ "data"; "parquet-testing"; "alltypes_plain.parquet" ]

let private numericColumns =
    [|
        "id"
        "bool_col"
        "tinyint_col"
        "smallint_col"
        "int_col"
        "bigint_col"
        "float_col"
        "double_col"
    |]

let private tempFile (extension: string) =
    Path.Combine(Path.GetTempPath(), $"genstats-parquet-{Guid.NewGuid():N}{extension}")

let private alternating (a: float) (b: float) =
    Array.init 8 (fun i -> if i % 2 = 0 then a else b)

let ``Apache's alltypes_plain.parquet reads as Arrow and Parquet.jl read it`` () =
    // Expected values: the assertions of Apache Arrow (Rust) and Parquet.jl on this file.
    let d = ParquetTable.Read(allTypes (), CsvOptions(Columns = numericColumns))
    Expect.sequenceEqual d.ColumnNames numericColumns "column order follows Columns"
    Expect.equal (d.Column "id") [| 4.0; 5.0; 6.0; 7.0; 2.0; 3.0; 0.0; 1.0 |] "id"
    Expect.equal (d.Column "bool_col") (alternating 1.0 0.0) "bool_col as 1/0"

    for c in [ "tinyint_col"; "smallint_col"; "int_col" ] do
        Expect.equal (d.Column c) (alternating 0.0 1.0) c

    Expect.equal (d.Column "bigint_col") (alternating 0.0 10.0) "bigint_col"
    // float_col is float32: 1.1f widened to float64, not the decimal 1.1.
    Expect.equal (d.Column "float_col") (alternating 0.0 (float 1.1f)) "float_col"
    Expect.equal (d.Column "double_col") (alternating 0.0 10.1) "double_col"

let ``a text column is refused by name unless it is left out`` () =
    let e =
        raises<InvalidDataException> "reading every column" (fun () -> ParquetTable.Read(allTypes ()) |> ignore)

    contains "alltypes_plain.parquet" e.Message "the file is named"
    contains "not numeric" e.Message "the reason is given"
    contains "leave the column out" e.Message "the way out is given"

let ``a missing column lists the columns that exist`` () =
    let e =
        raises<InvalidDataException> "asking for a missing column" (fun () ->
            ParquetTable.Read(allTypes (), CsvOptions(RequiredColumns = [| "pt" |]))
            |> ignore)

    contains "no column 'pt'" e.Message "the missing column is named"
    contains "double_col" e.Message "the existing columns are listed"

let ``Parquet and CSV of the same table give identical datasets`` () =
    let rng = Random 11

    let values =
        Array.init 3 (fun c ->
            Array.init 500 (fun i ->
                match i with
                | 0 -> Double.MaxValue
                | 1 -> -Double.Epsilon
                | 2 -> 1e-300
                | _ -> (rng.NextDouble() - 0.5) * Math.Pow(10.0, float (c * 3))))

    let data = Dataset.Create([| "pt"; "eta"; "sWeight" |], values)
    let parquet = tempFile ".parquet"
    let csv = tempFile ".csv"

    try
        TableFile.Write(data, parquet)
        TableFile.Write(data, csv)
        Expect.equal (File.ReadAllBytes parquet |> Array.take 4) "PAR1"B "the .parquet file is Parquet"
        let fromParquet = TableFile.Read parquet
        let fromCsv = TableFile.Read csv
        Expect.sequenceEqual fromParquet.ColumnNames fromCsv.ColumnNames "same names"

        for name in data.ColumnNames do
            Expect.equal (fromParquet.Column name) (fromCsv.Column name) name
            Expect.equal (fromParquet.Column name) (data.Column name) $"{name} is exact"
    finally
        File.Delete parquet
        File.Delete csv

let ``a null cell is refused with its column and row`` () =
    let path = tempFile ".parquet"

    let write =
        task {
            let field =
                Parquet.Schema.DataField("x", typeof<double>, Nullable true, Nullable false, null)

            use stream = File.Create path
            let! writer = Parquet.ParquetWriter.CreateAsync(Parquet.Schema.ParquetSchema(field), stream)
            use group = writer.CreateRowGroup()

            do!
                group.WriteAsync<float>(
                    field,
                    ReadOnlyMemory([| Nullable 1.0; Nullable(); Nullable 3.0 |]),
                    Nullable(),
                    null,
                    Threading.CancellationToken.None
                )

            group.Dispose()
            do! writer.DisposeAsync()
        }

    try
        write.Wait()

        let e =
            raises<InvalidDataException> "reading a null" (fun () -> TableFile.Read path |> ignore)

        contains "column 'x', row 2" e.Message "the cell is located"
        contains "null" e.Message "the reason is given"
    finally
        File.Delete path

let ``a file that is not Parquet is refused with its path`` () =
    let path = tempFile ".parquet"

    try
        File.WriteAllText(path, "a,b\n1,2\n")

        let e =
            raises<InvalidDataException> "reading CSV text as Parquet" (fun () -> TableFile.Read path |> ignore)

        contains path e.Message "the file is named"
        contains "not a readable Parquet file" e.Message "the reason is given"
    finally
        File.Delete path

let ``the command line reads and writes Parquet wherever it does CSV`` () =
    let parquet = tempFile ".parquet"
    let csv = tempFile ".csv"

    let run args =
        let code, out, err = GenStats.Tests.Repository.runCli args
        Expect.equal code 0 $"genstats {String.Join(' ', args)}: {err}"
        out

    try
        run [ "toy"; "bimodal"; "--events"; "500"; "--seed"; "3"; "--out"; parquet ]
        |> ignore

        run [ "toy"; "bimodal"; "--events"; "500"; "--seed"; "3"; "--out"; csv ]
        |> ignore

        Expect.equal (File.ReadAllBytes parquet |> Array.take 4) "PAR1"B "toy --out x.parquet writes Parquet"
        // The same events through both formats: every statistic describe prints is identical.
        let fromParquet = run [ "describe"; "--input"; parquet; "--column"; "x" ]
        let fromCsv = run [ "describe"; "--input"; csv; "--column"; "x" ]
        Expect.equal fromParquet fromCsv "describe of the Parquet and the CSV file"
    finally
        File.Delete parquet
        File.Delete csv

[<Tests>]
let tests =
    testList
        "Data.Parquet"
        [
            testCase
                "Apache's alltypes_plain.parquet reads as Arrow and Parquet.jl read it"
                ``Apache's alltypes_plain.parquet reads as Arrow and Parquet.jl read it``
            testCase
                "a text column is refused by name unless it is left out"
                ``a text column is refused by name unless it is left out``
            testCase "a missing column lists the columns that exist" ``a missing column lists the columns that exist``
            testCase
                "Parquet and CSV of the same table give identical datasets"
                ``Parquet and CSV of the same table give identical datasets``
            testCase "a null cell is refused with its column and row" ``a null cell is refused with its column and row``
            testCase
                "a file that is not Parquet is refused with its path"
                ``a file that is not Parquet is refused with its path``
            testCase
                "the command line reads and writes Parquet wherever it does CSV"
                ``the command line reads and writes Parquet wherever it does CSV``
        ]
