// Loads the built GenStats assemblies into an F# script: `#load "GenStats.fsx"` at the top of
// any validation script. scripts/validate.sh builds them first (Release). In fsi, results,
// datasets and option records print with their values (GenStats.Validation.Printers).
#I "../src/GenStats.Validation/bin/Release/net10.0"
#r "MathNet.Numerics.dll"
#r "Deedle.dll"
#r "Parquet.dll"
#r "GenStats.Core.dll"
#r "GenStats.Validation.dll"

open GenStats.Validation

fsi.AddPrinter<GenStats.Data.Dataset> Printers.dataset
// Metric results: value ± uncertainty, then the rest.
fsi.AddPrinter<GenStats.Stats.TwoSampleResult> Printers.result
fsi.AddPrinter<GenStats.Stats.KsTestResult> Printers.result
fsi.AddPrinter<GenStats.Stats.EnergyDistanceNdResult> Printers.result
fsi.AddPrinter<GenStats.Stats.MaximumMeanDiscrepancyResult> Printers.result
fsi.AddPrinter<GenStats.Stats.KernelPhysicsDistanceResult> Printers.result
fsi.AddPrinter<GenStats.Stats.FrechetDistanceResult> Printers.result
fsi.AddPrinter<GenStats.Stats.FrechetPhysicsDistanceResult> Printers.result
fsi.AddPrinter<GenStats.Stats.SlicedWassersteinResult> Printers.result
fsi.AddPrinter<GenStats.Stats.EarthMoversDistanceResult> Printers.result
fsi.AddPrinter<GenStats.Stats.QuantileChiSquareResult> Printers.record
fsi.AddPrinter<GenStats.Stats.HistogramChiSquareResult> Printers.record
// Options: every property, arrays element by element.
fsi.AddPrinter<GenStats.Models.GanOptions> Printers.record
fsi.AddPrinter<GenStats.Models.VaeOptions> Printers.record
fsi.AddPrinter<GenStats.Models.KdeOptions> Printers.record
fsi.AddPrinter<GenStats.Stats.BootstrapOptions> Printers.record
