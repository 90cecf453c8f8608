/// Reading, writing and building tables for F# pipelines: thin wrappers over GenStats.Data.
module GenStats.Validation.Data

open Deedle
open GenStats.Data
open GenStats.Validation

/// Reads a CSV file (',' or tab detected from the header row).
let readCsv (path: string) = Csv.Read path

/// Reads a table chosen by its extension: Parquet for `.parquet` (numeric columns; a null cell is
/// refused), else CSV (',' or tab). What every `genstats` verb reads.
let read (path: string) = TableFile.Read path

/// Reads only the named columns of a CSV or Parquet file, in that order (others, e.g. text labels, are skipped).
let readColumns (columns: string list) (path: string) =
    TableFile.Read(path, CsvOptions(Columns = List.toArray columns))

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

/// The dataset with every column a feature (no conditions, no weight column).
let allFeatures (data: Dataset) =
    data.WithRoles(Seq.toArray data.ColumnNames, [||])

/// The tables F# functions accept: a `Dataset` as it is, or a Deedle frame with int or string row
/// keys through `ofFrame` (every column a feature, no conditions or weight column; for roles use
/// `ofFrameWithRoles`, for other row keys `ofFrame`). The overload is chosen at compile time, so
/// passing another type is a compile error. (Concrete row-key types because F# resolves a
/// statically resolved member constraint too early when one overload is generic.)
type Table =
    /// The dataset the table stands for (a dataset itself; a frame with int or string row keys through `ofFrame`, every column a feature).
    static member inline AsDataset(data: Dataset) = data

    /// The dataset the table stands for (a dataset itself; a frame with int or string row keys through `ofFrame`, every column a feature).
    static member inline AsDataset(frame: Frame<int, string>) = allFeatures (ofFrame frame)

    /// The dataset the table stands for (a dataset itself; a frame with int or string row keys through `ofFrame`, every column a feature).
    static member inline AsDataset(frame: Frame<string, string>) = allFeatures (ofFrame frame)

/// The conversion behind `dataset`, with the overloads of the witness type `'W` (public only
/// because inline functions call it; use `dataset`).
let inline datasetWith< ^W, ^T when (^W or ^T): (static member AsDataset: ^T -> Dataset)> (table: ^T) : Dataset =
    ((^W or ^T): (static member AsDataset: ^T -> Dataset) table)

/// A dataset from a `Dataset` (itself) or a Deedle frame (`ofFrame`): every function of this
/// layer that takes a dataset takes a frame too, through this.
let inline dataset (table: ^T) : Dataset = datasetWith<Table, ^T> table

/// Writes a dataset as CSV (comma separated, atomically).
let inline writeCsv (path: string) (table: ^T) = Csv.Write(dataset table, path)

/// Writes a dataset as Parquet when the path ends in `.parquet`, else as CSV (atomically).
let inline write (path: string) (table: ^T) = TableFile.Write(dataset table, path)

/// The checked training arrays of a table with roles, for the trainers' `trainOn`: the
/// `TrainingSample` (features, names; signed weights allowed), the conditions (None without
/// condition columns) and the weights (None without a weight column). `model` names the model in errors.
let inline trainingArrays (model: string) (table: ^T) =
    let data = dataset table
    let s = GenStats.Models.TrainingSample.From(data, true, model)

    let conditions =
        if s.ConditionNames.Length = 0 then
            None
        else
            Some s.Conditions

    let weights = if isNull data.Weights then None else Some s.Weights
    s, conditions, weights

/// A column's values.
let inline column (name: string) (table: ^T) = (dataset table).Column name

/// The per-event weights of a weight column, or None for `None`.
let inline weights (weightColumn: string option) (table: ^T) : Weights =
    weightColumn |> Option.map (dataset table).Column

/// Events × columns, the layout multi-dimensional metrics take.
let inline rows (columns: string list) (table: ^T) =
    (dataset table).Rows(List.toArray columns)

/// A dataset of named columns (no roles).
let create (names: string[]) (columns: float[][]) = Dataset.Create(names, columns)

/// The dataset with feature and condition roles (no weight column).
let inline withRoles (features: string[]) (conditions: string[]) (table: ^T) =
    (dataset table).WithRoles(features, conditions)

/// The dataset with a column added (or replaced).
let inline withColumn (name: string) (values: float[]) (table: ^T) =
    (dataset table).WithColumn(name, values)

/// The events at the given row indices.
let inline select (rowIndices: int[]) (table: ^T) = (dataset table).Select rowIndices

/// The events whose value in `column` satisfies the predicate.
let inline filter (column: string) (predicate: float -> bool) (table: ^T) =
    let data = dataset table
    let c = data.Column column

    data.Select
        [|
            for i in 0 .. c.Length - 1 do
                if predicate c.[i] then
                    i
        |]
