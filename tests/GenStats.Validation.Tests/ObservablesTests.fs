module GenStats.Validation.Tests.ObservablesTests

open System
open Expecto
open GenStats.Validation
open GenStats.Tests.Tolerance

[<Tests>]
let tests =
    testList
        "Validation.Observables"
        [
            test "mass of two back-to-back massless muons of pT 45.6 at η = 0 is 91.2, curried and as an expression" {
                let m =
                    Observables.mass [| 45.6 |] [| 0.0 |] [| 0.0 |] [| 45.6 |] [| 0.0 |] [| Math.PI |]

                assertClose veryHigh 91.2 m[0] "mass"

                let data =
                    Data.create
                        [| "a"; "b"; "c"; "d"; "e"; "f" |]
                        [| [| 45.6 |]; [| 0.0 |]; [| 0.0 |]; [| 45.6 |]; [| 0.0 |]; [| Math.PI |] |]
                    |> Observables.derive "M=mass(a,b,c,d,e,f)"

                assertClose veryHigh 91.2 (data.Column "M").[0] "derived"
                assertClose veryHigh 91.2 (data |> Observables.evaluate "mass(a,b,c,d,e,f)").[0] "evaluate"
            }
            test "Δφ wraps −π to π and mT of back-to-back pT 40 objects is 80" {
                Expect.equal (Observables.wrapPhi -Math.PI) Math.PI "wrap"
                let mt = Observables.transverseMass [| 40.0 |] [| 0.0 |] [| 40.0 |] [| Math.PI |]
                assertClose veryHigh 80.0 mt[0] "mT"
            }
            test
                "the dimuon toy's features feed the expression language (every mass inside the 60–120 GeV window ± resolution)" {
                let m =
                    Physics.dimuon 3 500
                    |> Observables.evaluate "mass(pt1,eta1,phi1,0.1056583755,pt2,eta2,phi2,0.1056583755)"

                Expect.isTrue (m |> Array.forall (fun x -> x > 50.0 && x < 130.0)) "masses"
            }
        ]
