// Systematics propagation on the bimodal toy: K = 30 cross-validated KDEs trained on Poisson-bootstrap
// replicas of a 2 000-event training sample; the final quantity is the fraction of events with
// x > 5, evaluated on 50 000 generated events per member; pulls and coverage against the exact
// truth. The page is built by PropagationReport.kdeEnsemblePage (the same function the Chromium
// test of the page calls).
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/propagation.fsx
#load "GenStats.fsx"

open GenStats.Validation.Studies

PropagationReport.kdeEnsemblePage (printfn "%s") 30 2_000 50_000
|> StudyReport.writeAll "out" "propagation"
