// Amplification study (GANplifying) on the 1-D bimodal toy: quantile χ̂² of the training sample,
// a KDE, a resampled training sample and the truth sampler vs the exact truth, as functions of n
// and n_q; amplification factors N_eq/N_train. The page is built by Amplification.bimodalPage
// (the same function the Chromium test of the page calls; see it for the sources). Run from the
// repository root:
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/amplification.fsx
#load "GenStats.fsx"

open GenStats.Validation.Studies

let trainingEvents = 1_000
let config = { Amplification.defaultConfig with SampleSizes = [ 100; 1_000; 10_000; 100_000 ]; QuantileCounts = [ 5; 10; 20; 50 ]; Seeds = 10 }

Amplification.bimodalPage config trainingEvents
|> StudyReport.writeAll "out" "amplification"
