/// The checksummed container of model files (.gsm) and parameter files (.gsp): images written by
/// the code before the two formats shared one container (commit 887df1b) still load, and the
/// current code writes the very same bytes.
module GenStats.Tests.Numerics.ContainerFormatTests

open System
open System.IO
open System.Text.Json
open Expecto
open GenStats.Tensors
open GenStats.Nn
open GenStats.Models.Files

/// ParameterFile.ToBytes of the tensors below, written by the format's original implementation.
let private oldGsp =
    "R1NQQVJBTVMBAAAAeAAAAHsidGVuc29ycyI6W3sibmFtZSI6IjAud2VpZ2h0Iiwic2hhcGUiOlsyLDNdfSx7Im5hbWUiOiIwLmJpYXMiLCJzaGFwZSI6WzJdfV0sIm1ldGFkYXRhIjp7Im1vZGVsIjoiZml4dHVyZSIsImVwb2NoIjoiNyJ9fQAAwD8AAADAAACAPgAAQEAAAACAbxKDOgAAAD8AAIC/HF77kOruuOoCBW0DFuxecSunveeBk6ZFsbCzXrCo7fw="

/// ModelFile.ToBytes of the content below, written by the format's original implementation.
let private oldGsm =
    "R1NNT0RFTAABAAAAdQAAAHsibW9kZWxUeXBlIjoiZml4dHVyZSIsImZlYXR1cmVOYW1lcyI6WyJ4IiwieSJdLCJjb25kaXRpb25OYW1lcyI6WyJjIl0sIm1ldGFkYXRhIjp7ImJhbmR3aWR0aCI6MC41LCJraW5kIjoiZml4dHVyZSJ9fQMAAAAGAHBvaW50cwECAgAAAAAAAAACAAAAAAAAAAAAAAAAAPA/AAAAAAAAAEAAAAAAAAAMwAAAAAAAABFABwB3ZWlnaHRzAgECAAAAAAAAAAAAAD8AAMA/BgBjb3VudHMDAQMAAAAAAAAAAwAAAAAAAAD8/////////wUAAAAAAAAA15oRjGz0Nvw1Y2XQieYVZVFJ48u4HXtAl52d+cZZupo="

let private tensors () =
    [|
        NamedTensor("0.weight", Tensor.FromArray([| 1.5f; -2.0f; 0.25f; 3.0f; -0.0f; 1e-3f |], [| 2; 3 |]))
        NamedTensor("0.bias", Tensor.FromArray([| 0.5f; -1.0f |], [| 2 |]))
    |]

let private metadata () =
    Collections.Generic.Dictionary(dict [ "model", "fixture"; "epoch", "7" ])

let private content () =
    ModelFileContent(
        "fixture",
        [| "x"; "y" |],
        [| "c" |],
        JsonDocument.Parse("""{"bandwidth":0.5,"kind":"fixture"}""").RootElement.Clone(),
        [|
            ModelArray.OfFloat64("points", [| 1.0; 2.0; -3.5; 4.25 |], [| 2L; 2L |])
            ModelArray.OfFloat32("weights", [| 0.5f; 1.5f |], [| 2L |])
            ModelArray.OfInt64("counts", [| 3L; -4L; 5L |], [| 3L |])
        |]
    )

let private bits (xs: float32[]) =
    xs |> Array.map BitConverter.SingleToInt32Bits

[<Tests>]
let tests =
    testList
        "Numerics.ContainerFormat"
        [
            test "a parameter file in the original format loads" {
                let bytes = Convert.FromBase64String oldGsp

                let dir =
                    Path.Combine(Path.GetTempPath(), "genstats-container-" + Guid.NewGuid().ToString("N"))

                Directory.CreateDirectory dir |> ignore

                try
                    let path = Path.Combine(dir, "old.gsp")
                    File.WriteAllBytes(path, bytes)
                    let loaded = ParameterFile.Load path
                    Expect.sequenceEqual (loaded.Tensors |> Seq.map (fun t -> t.Name)) [ "0.weight"; "0.bias" ] "names"
                    Expect.sequenceEqual loaded.Tensors[0].Shape [| 2; 3 |] "shape"

                    Expect.sequenceEqual
                        (bits loaded.Tensors[0].Values)
                        (bits [| 1.5f; -2.0f; 0.25f; 3.0f; -0.0f; 1e-3f |])
                        "weights, bit for bit"

                    Expect.sequenceEqual (bits loaded.Tensors[1].Values) (bits [| 0.5f; -1.0f |]) "bias"
                    Expect.equal loaded.Metadata["epoch"] "7" "metadata"
                finally
                    Directory.Delete(dir, true)
            }

            test "the current parameter-file writer produces the original bytes" {
                Expect.sequenceEqual
                    (ParameterFile.ToBytes(tensors (), metadata ()))
                    (Convert.FromBase64String oldGsp)
                    "same image"
            }

            test "a model file in the original format loads" {
                let loaded = ModelFile.FromBytes(Convert.FromBase64String oldGsm, "old.gsm")
                Expect.isTrue (loaded.Equals(content ())) "same content"
                Expect.sequenceEqual (loaded.Array("points").AsFloat64()) [| 1.0; 2.0; -3.5; 4.25 |] "float64 array"
                Expect.sequenceEqual (loaded.Array("counts").AsInt64()) [| 3L; -4L; 5L |] "int64 array"
            }

            test "the current model-file writer produces the original bytes" {
                Expect.sequenceEqual (ModelFile.ToBytes(content ())) (Convert.FromBase64String oldGsm) "same image"
            }

            test "each format refuses the other's image (the magic names the format)" {
                Expect.throwsT<InvalidDataException>
                    (fun () -> ParameterFile.FromBytes(Convert.FromBase64String oldGsm) |> ignore)
                    "gsm is no gsp"

                Expect.throwsT<InvalidDataException>
                    (fun () -> ModelFile.FromBytes(Convert.FromBase64String oldGsp, "x") |> ignore)
                    "gsp is no gsm"
            }
        ]
