// Marginal-statistic hold-out with the GAN trainer on the LogNormal-pair toy (2 000 events of
// (ln x1, ln x2) — Gaussian-like, so a short training converges): one Cramér GAN trained with the
// distribution of s = y1 + y2 enforced through an AuxiliaryStatistic (MMD), one without; every
// statistic's σ-deviation real vs generated for both. MMD matches the whole distribution of s, so
// both its mean and its sd are flagged as matched by construction (not evidence). The page is
// built by Holdout.ganPage (the same function the Chromium test of the page calls).
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/holdout.fsx
#load "GenStats.fsx"

open System
open GenStats.Validation.Studies

let steps = match Environment.GetEnvironmentVariable "GENSTATS_HOLDOUT_STEPS" with null | "" -> 600 | s -> int s

Holdout.ganPage (printfn "%s") steps 2_000
|> StudyReport.writeAll "out" "holdout"
