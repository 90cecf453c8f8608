/// Reading and writing tables for F# pipelines: thin wrappers over GenStats.Data.
module GenStats.Validation.Data

open GenStats.Data

/// Reads a CSV file (',' or tab detected from the header row).
let readCsv (path: string) = Csv.Read path

/// Writes a dataset as CSV (comma separated, atomically).
let writeCsv (path: string) (data: Dataset) = Csv.Write(data, path)

/// A column's values.
let column (name: string) (data: Dataset) = data.Column name

/// The per-event weights of a weight column, or None for `None`.
let weights (weightColumn: string option) (data: Dataset) : float[] option =
    weightColumn |> Option.map data.Column

/// Events × columns, the layout multi-dimensional metrics take.
let rows (columns: string list) (data: Dataset) = data.Rows(List.toArray columns)
