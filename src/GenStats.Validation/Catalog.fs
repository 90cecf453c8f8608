/// The metric catalogue for F# scripts: the metrics `genstats compare` runs, chosen by name, on
/// columns of two datasets (weights from their weight columns), the generated dataset last. One
/// MetricReport (name, columns, Value, Uncertainty, extras) per metric and column.
module GenStats.Validation.Catalog

open GenStats.Data
open GenStats.Comparison
open GenStats.Stats

/// Comparison settings with the given seed and bootstrap replicas (quantile and histogram bins at their defaults).
let options (seed: int) (bootstrapReplicas: int) =
    ComparisonOptions(Seed = seed, BootstrapReplicas = bootstrapReplicas)

/// The named metrics ("all" or a comma-separated list such as "ks,w1") on the columns, with the given settings.
let compareWith
    (options: ComparisonOptions)
    (metrics: string)
    (columns: string[])
    (real: Dataset)
    (generated: Dataset)
    =
    MetricCatalog.Compare(real, generated, columns, metrics, options) |> List.ofSeq

/// The named metrics ("all" or a comma-separated list such as "ks,w1") on the columns, with the default settings.
let inline compare (metrics: string) (columns: string[]) (real: ^R) (generated: ^G) =
    compareWith ComparisonOptions.Default metrics columns (Data.dataset real) (Data.dataset generated)
