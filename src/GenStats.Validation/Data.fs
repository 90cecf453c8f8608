/// Reading, writing and building tables for F# pipelines: thin wrappers over GenStats.Data.
module GenStats.Validation.Data

open Deedle
open GenStats.Data
open GenStats.Validation

/// Reads a CSV file (',' or tab detected from the header row).
let readCsv (path: string) = Csv.Read path

/// Writes a dataset as CSV (comma separated, atomically).
let writeCsv (path: string) (data: Dataset) = Csv.Write(data, path)

/// Reads a table chosen by its extension: Parquet for `.parquet` (numeric columns; a null cell is
/// refused), else CSV (',' or tab). What every `genstats` verb reads.
let read (path: string) = TableFile.Read path

/// Reads only the named columns of a CSV or Parquet file, in that order (others, e.g. text labels, are skipped).
let readColumns (columns: string list) (path: string) =
    TableFile.Read(path, CsvOptions(Columns = List.toArray columns))

/// Writes a dataset as Parquet when the path ends in `.parquet`, else as CSV (atomically).
let write (path: string) (data: Dataset) = TableFile.Write(data, path)

/// A dataset from a Deedle frame: every column converted to float (ints and decimals convert; a
/// text column is refused by name) and every value present — Deedle reads NaN as missing, and a
/// missing value is refused with its column and row key rather than dropped (no roles set; see
/// `ofFrameWithRoles`).
let ofFrame (frame: Frame<'Row, string>) : Dataset =
    let names = frame.ColumnKeys |> Seq.toArray

    let column (name: string) =
        let series =
            try
                frame.GetColumn<float> name
            with e ->
                invalidArg
                    "frame"
                    $"column '{name}' does not convert to float ({e.Message}); leave it out of the frame."

        series
        |> Series.observationsAll
        |> Seq.map (fun (row, value) ->
            match value with
            | Some v -> v
            | None ->
                invalidArg
                    "frame"
                    $"column '{name}', row {row}: the value is missing (or NaN, which Deedle reads as missing); fill or drop such rows first.")
        |> Seq.toArray

    Dataset.Create(names, Array.map column names)

/// `ofFrame` with roles: feature and condition columns and an optional weight column.
let ofFrameWithRoles
    (features: string list)
    (conditions: string list)
    (weight: string option)
    (frame: Frame<'Row, string>)
    =
    (ofFrame frame).WithRoles(List.toArray features, List.toArray conditions, Option.toObj weight)

/// A Deedle frame of every column (rows keyed 0 … n − 1). Roles are not carried; NaN values
/// become missing values in Deedle's sense.
let toFrame (data: Dataset) : Frame<int, string> =
    data.ColumnNames
    |> Seq.map (fun name -> name, Series.ofValues (data.Column name))
    |> Frame.ofColumns

/// A column's values.
let column (name: string) (data: Dataset) = data.Column name

/// The per-event weights of a weight column, or None for `None`.
let weights (weightColumn: string option) (data: Dataset) : Weights = weightColumn |> Option.map data.Column

/// Events × columns, the layout multi-dimensional metrics take.
let rows (columns: string list) (data: Dataset) = data.Rows(List.toArray columns)

/// A dataset of named columns (no roles).
let create (names: string[]) (columns: float[][]) = Dataset.Create(names, columns)

/// The dataset with feature and condition roles (no weight column).
let withRoles (features: string[]) (conditions: string[]) (data: Dataset) = data.WithRoles(features, conditions)

/// The dataset with a column added (or replaced).
let withColumn (name: string) (values: float[]) (data: Dataset) = data.WithColumn(name, values)

/// The events at the given row indices.
let select (rowIndices: int[]) (data: Dataset) = data.Select rowIndices

/// The events whose value in `column` satisfies the predicate.
let filter (column: string) (predicate: float -> bool) (data: Dataset) =
    let c = data.Column column

    data.Select
        [|
            for i in 0 .. c.Length - 1 do
                if predicate c.[i] then
                    i
        |]
