module GenStats.Tests.Validation.FramesTests

open Expecto
open System
open Deedle
open GenStats.Data
open GenStats.Validation
open GenStats.Tests.Expectations

let private atlas () =
    GenStats.Tests.Repository.file [ "data"; "atlas"; "atlas_higgs_ml_5k.csv" ]

let private kinematics = [ "PRI_tau_pt"; "PRI_tau_eta"; "PRI_lep_pt"; "Weight" ]

let frameTests =
    testList
        "Validation.Frames"
        [
            test "a frame read with a float schema gives the dataset the CSV reader gives" {
                // Without a schema Deedle infers decimal columns; the schema makes them float, and the
                // text column Label is dropped before conversion.
                let schema = kinematics |> List.map (fun c -> c + "=float") |> String.concat ","
                let frame = Frame.ReadCsv(atlas (), schema = schema)
                let fromFrame = Data.ofFrame (frame.Columns.[kinematics])
                let fromCsv = Data.readColumns kinematics (atlas ())
                Expect.sequenceEqual fromFrame.ColumnNames kinematics "columns"

                for c in kinematics do
                    Expect.equal (fromFrame.Column c) (fromCsv.Column c) c
            }
            test "dataset → frame → dataset is the identity and roles can be set" {
                let data =
                    Data.create
                        [| "x"; "y"; "w" |]
                        [| [| 1.5; -2.0; 1e-300 |]; [| 0.0; 3.0; -4.0 |]; [| 1.0; -0.5; 2.0 |] |]

                let frame = Data.toFrame data
                Expect.equal (frame.RowCount, frame.ColumnCount) (3, 3) "shape"
                let back = Data.ofFrameWithRoles [ "x" ] [ "y" ] (Some "w") frame
                Expect.sequenceEqual back.Features [ "x" ] "features"
                Expect.sequenceEqual back.Conditions [ "y" ] "conditions"
                Expect.equal back.Weights [| 1.0; -0.5; 2.0 |] "signed weights kept"

                for c in data.ColumnNames do
                    Expect.equal (back.Column c) (data.Column c) c
            }
            test "a missing value is refused with its column and row, not dropped" {
                let frame =
                    Frame.ofColumns
                        [
                            "pt", Series.ofValues [ 1.0; nan; 3.0 ]
                            "eta", Series.ofValues [ 0.1; 0.2; 0.3 ]
                        ]

                let e =
                    raises<ArgumentException> "converting a frame with NaN" (fun () -> Data.ofFrame frame |> ignore)

                contains "column 'pt', row 1" e.Message "located"
                contains "missing" e.Message "reason"
            }
            test "functions that take a dataset take a frame and give the same result" {
                // The frame holds exactly the dataset's float64 values, so every result must be identical.
                let a =
                    Data.create [| "x"; "y" |] [| [| 0.1; 2.5; -1.0; 4.0 |]; [| 1.0; 2.0; 3.0; 5.0 |] |]

                let b =
                    Data.create [| "x"; "y" |] [| [| 0.3; 2.0; -0.5; 3.5 |]; [| 1.5; 2.5; 2.0; 4.0 |] |]

                let fa, fb = Data.toFrame a, Data.toFrame b
                let byFrame = Catalog.compare "ks,w1" [| "x" |] fa fb
                let byDataset = Catalog.compare "ks,w1" [| "x" |] a b

                Expect.equal
                    (byFrame |> List.map (fun r -> r.Value))
                    (byDataset |> List.map (fun r -> r.Value))
                    "compare"

                Expect.equal (Data.column "y" fa) (Data.column "y" a) "column"
                Expect.equal ((Data.filter "x" (fun x -> x > 0.0) fa).Column "y") [| 1.0; 2.0; 5.0 |] "filter"
                // Δφ = x − y wrapped to (−π, π]: −0.9, 0.5, −4 + 2π, −1.
                let expected = [| 0.1 - 1.0; 0.5; -4.0 + 2.0 * Math.PI; -1.0 |]
                let derived = (Observables.derive "d=dphi(x,y)" fa).Column "d"

                for i in 0..3 do
                    Expect.floatClose Accuracy.veryHigh derived.[i] expected.[i] $"derive, event {i}"

                let kde (data: Dataset) =
                    Kde.sample 3 4 (Kde.trainOn Kde.defaults 1 (Data.withRoles [| "x"; "y" |] [||] data))

                let fromFrame = Kde.sample 3 4 (Kde.trainOn Kde.defaults 1 fa)
                Expect.equal fromFrame (kde a) "KDE trained on a frame"
            }
            test "a text column is refused by name" {
                let frame = Frame.ofColumns [ "label", Series.ofValues [ "s"; "b" ] ]

                let e =
                    raises<ArgumentException> "converting text" (fun () -> Data.ofFrame frame |> ignore)

                contains "column 'label'" e.Message "named"
            }
        ]

[<Tests>]
let tests = frameTests
