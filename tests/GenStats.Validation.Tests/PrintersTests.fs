/// The printers validation/GenStats.fsx registers with fsi.AddPrinter show elements, not types.
module GenStats.Tests.Validation.PrintersTests

open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Models
open GenStats.Stats
open GenStats.Validation

let ``a dataset prints its size, column names and roles`` () =
    let d =
        Data.create [| "x"; "y"; "w" |] [| [| 1.0; 2.0 |]; [| 3.0; 4.0 |]; [| 1.0; 1.0 |] |]

    let text = Printers.dataset (d.WithRoles([| "x" |], [| "y" |], "w"))

    Expect.equal
        text
        "Dataset: 2 events × 3 columns [\"x\"; \"y\"; \"w\"]; features [\"x\"]; conditions [\"y\"]; weights \"w\""
        "dataset text"

    Expect.isFalse (text.Contains "System.") "no type names instead of values"

let ``a result prints value ± uncertainty and options print their arrays`` () =
    let r = TwoSampleResult(0.25, 0.01, "poisson-bootstrap", 100.0, 90.0)
    let text = Printers.result r
    Expectations.contains "TwoSampleResult: 0.25 ± 0.01" text "value ± uncertainty first"
    Expectations.contains "UncertaintyMethod = \"poisson-bootstrap\"" text "the other properties"
    let o = Printers.record (Gan.toOptions Gan.defaults)
    Expectations.contains "GeneratorLayers = [128; 128; 128]" o "arrays element by element"
    Expect.isFalse (o.Contains "System.Int32[]") "no array type names"
    let many = Printers.value (Array.init 20 float)
    Expect.equal many "[0; 1; 2; 3; 4; 5; 6; 7; …]" "long arrays are cut after 8 elements"

[<Tests>]
let tests =
    testList
        "PrintersTests"
        [
            testCase
                "a dataset prints its size, column names and roles"
                ``a dataset prints its size, column names and roles``
            testCase
                "a result prints value ± uncertainty and options print their arrays"
                ``a result prints value ± uncertainty and options print their arrays``
        ]
