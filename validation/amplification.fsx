// Amplification study (GANplifying) on the 1-D bimodal toy: quantile χ̂² of the training sample,
// a KDE, a resampled training sample and the truth sampler vs the exact truth, as functions of n
// and n_q; amplification factors N_eq/N_train. Run from the repository root:
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/amplification.fsx
#load "GenStats.fsx"

open GenStats.Physics
open GenStats.Validation.Studies

let trainingEvents = 1_000
let bimodal : Amplification.Sampler = fun n seed -> BimodalGaussian.Sample(n, seed).Column "x"
let training = bimodal trainingEvents 2026
let truth = Amplification.InverseCdf(Amplification.inverseByBisection (fun x -> BimodalGaussian.Cdf x) -30.0 30.0)
let config = { Amplification.defaultConfig with SampleSizes = [ 100; 1_000; 10_000; 100_000 ]; QuantileCounts = [ 5; 10; 20; 50 ]; Seeds = 10 }

let result =
    training
    |> Amplification.run config truth
        [ "truth sampler", bimodal
          "KDE (Scott)", Amplification.kde training
          "KDE (cross-validated)", Amplification.kdeWith (GenStats.Models.KdeOptions(Bandwidth = GenStats.Models.BandwidthRule.CrossValidated)) training
          "bootstrap of the training sample", Amplification.bootstrap training ]

[ Amplification.toSection result ]
|> StudyReport.report "Amplification study (bimodal toy)"
    [ sprintf "N_train = %d events from ½(N(−4, 1) + N(4, 1)); exact quantile edges." trainingEvents ]
    (StudyReport.numbers "amplification" result)
|> StudyReport.writeAll "out" "amplification"
