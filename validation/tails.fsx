// Tails and decomposition on the LogNormal-pair toy (1K training events, target x1 + x2 on 10⁶
// events): tail fluctuations, cut-off marginal (x < 12), permutations and a parametric fit, plus
// the tail fraction's decomposition from only 100 training events. The page is built by
// Tails.logNormalPage (the same function the Chromium test of the page calls).
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/tails.fsx
#load "GenStats.fsx"

open GenStats.Validation.Studies

let config = { Tails.defaultConfig with Replicas = 100; Permutations = 50 }

Tails.logNormalPage config 100
|> StudyReport.writeAll "out" "tails"
