/// The expression language: parsing, the argument rules, errors, evaluation on columns and Datasets.
module GenStats.Tests.Observables.ExpressionTests

open System
open System.Collections.Generic
open Expecto
open GenStats.Data
open GenStats.Observables
open GenStats.Tests.Tolerance

let private columns (pairs: (string * float[]) list) =
    Dictionary<string, float[]>(dict pairs) :> IReadOnlyDictionary<string, float[]>

let private pair =
    columns
        [
            "pt1", [| 45.6; 30.0 |]
            "eta1", [| 0.0; 0.5 |]
            "phi1", [| 0.0; 0.3 |]
            "pt2", [| 45.6; 40.0 |]
            "eta2", [| 0.0; -1.2 |]
            "phi2", [| Math.PI; 2.5 |]
        ]

let private throwsWith (f: unit -> unit) (parts: string list) =
    Expect.throwsC f (fun e ->
        for p in parts do
            Expect.stringContains e.Message p "message")

[<Tests>]
let tests =
    testList
        "Observables.Expression"
        [
            test "mass over named columns equals the direct call (91.2 and the python3 value)" {
                let e = ObservableExpression.Parse " mass( pt1,eta1 , phi1,pt2,eta2,phi2 ) "
                Expect.equal e.Function "mass" "function"
                Expect.sequenceEqual e.Columns [ "pt1"; "eta1"; "phi1"; "pt2"; "eta2"; "phi2" ] "columns"
                let m = e.Evaluate pair
                assertClose veryHigh 91.2 m[0] "back to back"
                // python3: math.sqrt(2*30*40*(math.cosh(1.7)-math.cos(2.2))) = 90.55583791423253
                assertClose veryHigh 90.55583791423253 m[1] "general"
            }
            test "8 arguments are (pt,eta,phi,m) quadruples; numbers are constants" {
                let withMass =
                    ObservableExpression.Parse "mass(pt1,eta1,phi1,5,pt2,eta2,phi2,0.10566)"

                let explicitM =
                    ObservableExpression.Parse "massm(pt1,eta1,phi1,5.0,pt2,eta2,phi2,1.0566e-1)"
                // python3 (summed four-vectors): 90.98687358603918
                assertClose high 90.98687358603918 (withMass.Evaluate pair).[1] "8 args"
                assertClose high 90.98687358603918 (explicitM.Evaluate pair).[1] "massm"
            }
            test "the other functions evaluate to their direct calls" {
                let d = pair

                let check text (expected: float[]) =
                    let got = (ObservableExpression.Parse text).Evaluate d

                    for i in 0 .. expected.Length - 1 do
                        assertClose veryHigh expected[i] got[i] $"{text} [{i}]"

                check "dphi(phi1,phi2)" (ColumnObservables.DeltaPhi(d["phi1"], d["phi2"]))
                check "dr(eta1,phi1,eta2,phi2)" (ColumnObservables.DeltaR(d["eta1"], d["phi1"], d["eta2"], d["phi2"]))

                check
                    "mt(pt1,phi1,pt2,phi2)"
                    (ColumnObservables.TransverseMass(d["pt1"], d["phi1"], d["pt2"], d["phi2"]))

                check
                    "pt(pt1,eta1,phi1,pt2,eta2,phi2)"
                    (ColumnObservables.SystemPt([| d["pt1"]; d["pt2"] |], [| d["phi1"]; d["phi2"] |]))

                check
                    "PHI(pt1,eta1,phi1,pt2,eta2,phi2)"
                    (ColumnObservables.SystemPhi([| d["pt1"]; d["pt2"] |], [| d["phi1"]; d["phi2"] |]))

                check
                    "rapidity(pt1,eta1,phi1,pt2,eta2,phi2)"
                    (ColumnObservables.SystemRapidity([| d["pt1"]; d["pt2"] |], [| d["eta1"]; d["eta2"] |]))
            }
            test "mass4 / massE read (E,px,py,pz) quadruples" {
                let d =
                    columns [ "E1", [| 5.0 |]; "z1", [| 3.0 |]; "E2", [| 5.0 |]; "z2", [| -3.0 |] ]

                Expect.equal ((ObservableExpression.Parse "mass4(E1,0,0,z1,E2,0,0,z2)").Evaluate d) [| 10.0 |] "mass4"
                Expect.equal ((ObservableExpression.Parse "massE(E1,0,0,z1,E2,0,0,z2)").Evaluate d) [| 10.0 |] "massE"
            }
            test "a Dataset column and NAME=expression definitions" {
                let names = [| "pt1"; "eta1"; "phi1"; "pt2"; "eta2"; "phi2" |]

                let data =
                    Dataset.Create(names, names |> Array.map (fun n -> pair[n])).WithRoles(names)

                let def = ObservableDefinition.Parse "M = mass(pt1,eta1,phi1,pt2,eta2,phi2)"
                Expect.equal def.Name "M" "name"
                let withM = def.AddTo data
                assertClose veryHigh 91.2 (withM.Column "M").[0] "M"
                Expect.sequenceEqual withM.Features names "roles kept"
            }
            test "syntax errors name the position and what is allowed" {
                throwsWith
                    (fun () -> ObservableExpression.Parse "mass(pt1,eta1 phi1)" |> ignore)
                    [ "position 15"; "',' or ')'" ]

                throwsWith
                    (fun () -> ObservableExpression.Parse "mass(pt1,,eta1)" |> ignore)
                    [ "position 10"; "a column name or a number" ]

                throwsWith (fun () -> ObservableExpression.Parse "mass pt1" |> ignore) [ "position 6"; "'('" ]

                throwsWith
                    (fun () -> ObservableExpression.Parse "mass(a,b,c,d,e,f) x" |> ignore)
                    [ "end of the expression" ]

                throwsWith
                    (fun () -> ObservableExpression.Parse "muss(a)" |> ignore)
                    [ "unknown function 'muss'"; "mass"; "dphi" ]

                throwsWith
                    (fun () -> ObservableExpression.Parse "mass(a,b,c,d,e)" |> ignore)
                    [ "multiple of 3 or 4"; "got 5" ]

                throwsWith
                    (fun () -> ObservableExpression.Parse "mass(a,b,c,d,e,f,g,h,i,j,k,l)" |> ignore)
                    [ "ambiguous"; "mass0"; "massm" ]

                throwsWith (fun () -> ObservableExpression.Parse "dphi(a)" |> ignore) [ "dphi takes 2" ]
                throwsWith (fun () -> ObservableDefinition.Parse "mass(a,b,c,d,e,f)" |> ignore) [ "NAME=expression" ]
            }
            test "an unknown column lists the available ones" {
                throwsWith
                    (fun () -> (ObservableExpression.Parse "dphi(phi1,phi3)").Evaluate pair |> ignore)
                    [ "no column 'phi3'"; "available columns: pt1, eta1, phi1, pt2, eta2, phi2" ]
            }
        ]
