// Amplification study (GANplifying) on the 1-D bimodal toy: quantile χ̂² of the training sample,
// a KDE, a resampled training sample and the truth sampler vs the exact truth, as functions of n
// and n_q; amplification factors N_eq/N_train. A template for your own study: swap the training
// sample, the truth and the samplers for yours. Run from the repository root (writes
// out/amplification.html and out/amplification.json):
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/amplification.fsx
// `--quick` (dotnet fsi validation/amplification.fsx --quick): tiny sizes (300 training events,
// n ≤ 2 000, 3 seeds) that run in seconds, for smoke runs and the tests; the numbers are then noisy.
#load "GenStats.fsx"

open GenStats.Models
open GenStats.Validation
open GenStats.Validation.Studies

let quick = fsi.CommandLineArgs |> Array.contains "--quick"

// 1. Sizes: N_train events to train on; χ̂² is measured at every sample size n and number of
//    quantiles n_q, averaged over `Seeds` independent samples per point.
let trainingEvents = if quick then 300 else 1_000

let config =
    if quick then
        { Amplification.defaultConfig with
            SampleSizes = [ 200; 2_000 ]
            QuantileCounts = [ 5; 10 ]
            Seeds = 3
        }
    else
        { Amplification.defaultConfig with
            SampleSizes = [ 100; 1_000; 10_000; 100_000 ]
            QuantileCounts = [ 5; 10; 20; 50 ]
            Seeds = 10
        }

// 2. Data: the toy ½(N(−4, 1) + N(4, 1)) as a seeded sampler (n → seed → values), and the
//    training sample drawn from it. Your data: any float[] (a column or a 1-D projection).
let bimodal: Amplification.Sampler = fun n seed -> Physics.bimodalValues seed n
let training = bimodal trainingEvents 2026

// 3. The truth the quantile bins come from: here the exact CDF, inverted by bisection. Without a
//    closed form use Amplification.TruthSample (a large truth sample; its floor is subtracted).
let truth =
    Amplification.InverseCdf(Amplification.inverseByBisection Physics.bimodalCdf -30.0 30.0)

// 4. The sources to compare, each a Sampler. A trained generator: Amplification.ofGenerator column
//    model. The truth sampler is the reference (amplification ≈ n/N_train); the bootstrap of the
//    training sample shows that resampling cannot amplify (≈ 1).
let sources =
    [
        "truth sampler", bimodal
        "KDE (Scott)", Amplification.kde training
        "KDE (cross-validated)", Amplification.kdeWith (KdeOptions(Bandwidth = BandwidthRule.CrossValidated)) training
        "bootstrap of the training sample", Amplification.bootstrap training
    ]

// 5. Run the study: χ̂²(n, n_q) per source, the training sample's own χ̂², and the factors.
let result = Amplification.run config truth sources training

// 6. The page: the study's section (tables + figures), the summary lines, and the whole result as
//    the JSON numbers; then out/amplification.{html,json} and the console summary.
[ Amplification.toSection result ]
|> StudyReport.report
    "Amplification study (bimodal toy)"
    [
        sprintf "N_train = %d events from ½(N(−4, 1) + N(4, 1)); exact quantile edges." trainingEvents
    ]
    (StudyReport.numbers "amplification" result)
|> StudyReport.writeAll "out" "amplification"
