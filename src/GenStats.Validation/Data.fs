/// Reading, writing and building tables for F# pipelines: thin wrappers over GenStats.Data.
module GenStats.Validation.Data

open GenStats.Data
open GenStats.Validation

/// Reads a CSV file (',' or tab detected from the header row).
let readCsv (path: string) = Csv.Read path

/// Writes a dataset as CSV (comma separated, atomically).
let writeCsv (path: string) (data: Dataset) = Csv.Write(data, path)

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
