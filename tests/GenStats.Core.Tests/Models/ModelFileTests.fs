module GenStats.Tests.Models.ModelFileTests

open Expecto
open System
open System.IO
open GenStats.Data
open GenStats.Models
open GenStats.Models.Files
open GenStats.Tests.Models.Toys
open GenStats.Tests.Expectations

let private tempFile () =
    Path.Combine(Path.GetTempPath(), sprintf "genstats-test-%s.gsm" (Guid.NewGuid().ToString("N")))

let private models () : IConditionalGenerator list =
    let xs, ys = conditionalGaussian 3 300
    let ws = xs |> Array.map (fun x -> 0.5 + abs x)
    let conditional = dataset xs (Some ys) (Some ws)
    let joint = Dataset.Create([| "a"; "b" |], [| xs; ys |]).WithRoles([| "a"; "b" |])

    [
        KernelDensity.Fit(conditional, KdeOptions(Bandwidth = BandwidthRule.Silverman))
        KernelDensity.Fit(conditional, KdeOptions(Preprocessing = TransformKind.QuantileNormal))
        KernelDensity.Fit(dataset xs None None, KdeOptions(Bandwidth = BandwidthRule.CrossValidated))
        Library.Fit(conditional, LibraryOptions(Neighbours = 5, Rule = LibraryRule.LocalLinear))
        Library.Fit(dataset xs None (Some ws))
        HistogramSampler.Fit(joint)
        HistogramSampler.Fit(joint, HistogramOptions(Bins = 7, Mode = HistogramMode.Marginals))
    ]

let private draw (model: IConditionalGenerator) =
    if model.ConditionNames.Count = 0 then
        model.Sample(500, 42)
    else
        model.Sample(Array.init 500 (fun i -> [| float i / 500.0 |]), 42)

let ``every model survives a file round trip exactly`` () =
    for model in models () do
        let path = tempFile ()

        try
            ModelFile.Save(path, model)
            let loaded = ModelFile.Load path
            Expect.equal (loaded.GetType()) (model.GetType()) "loaded.GetType()"
            Expect.equal loaded.ModelType model.ModelType "loaded.ModelType"
            Expect.isTrue (List.ofSeq loaded.FeatureNames = List.ofSeq model.FeatureNames) "feature names"
            Expect.isTrue (List.ofSeq loaded.ConditionNames = List.ofSeq model.ConditionNames) "condition names"
            Expect.equal (loaded.ToModelFile()) (model.ToModelFile()) (sprintf "%s content" model.ModelType)

            Expect.isTrue
                (ModelFile.ToBytes(loaded.ToModelFile()) = File.ReadAllBytes path)
                (sprintf "%s bytes" model.ModelType)

            Expect.isTrue (draw loaded = draw model) (sprintf "%s samples" model.ModelType)
        finally
            File.Delete path

let ``the KDE log-density is unchanged by a round trip`` () =
    let xs, ys = conditionalGaussian 4 200

    let k =
        KernelDensity.Fit(dataset xs (Some ys) None, KdeOptions(Preprocessing = TransformKind.Standard))

    let path = tempFile ()

    try
        ModelFile.Save(path, k)
        let back = ModelFile.Load path :?> KernelDensity
        let probes = [| [| 1.0; 0.5 |]; [| 3.0; 0.9 |] |]
        Expect.isTrue (back.LogDensity probes = k.LogDensity probes) "(back.LogDensity probes = k.LogDensity probes)"
    finally
        File.Delete path

let ``the file starts with the documented header`` () =
    let bytes =
        ModelFile.ToBytes((HistogramSampler.Fit(dataset [| 1.0; 2.0; 3.0 |] None None)).ToModelFile())

    Expect.isTrue (bytes.[0..7] = "GSMODEL\000"B) "magic"
    Expect.equal (BitConverter.ToUInt32(bytes, 8)) 1u "format version"
    let jsonLength = int (BitConverter.ToUInt32(bytes, 12))
    let json = Text.Encoding.UTF8.GetString(bytes, 16, jsonLength)
    Expect.stringStarts json "{\"modelType\":\"histogram\",\"featureNames\":[\"x\"],\"conditionNames\":[]" "json"

    let hash =
        Security.Cryptography.SHA256.HashData(ReadOnlySpan(bytes, 0, bytes.Length - 32))

    Expect.isTrue (bytes.[bytes.Length - 32 ..] = hash) "SHA-256 trailer"

let ``every flipped byte and every truncation is detected`` () =
    let bytes =
        ModelFile.ToBytes((Library.Fit(dataset [| 1.0; 2.0; 3.0 |] (Some [| 0.0; 1.0; 2.0 |]) None)).ToModelFile())

    for i in 0 .. bytes.Length - 1 do
        let corrupt = Array.copy bytes
        corrupt.[i] <- corrupt.[i] ^^^ 0x10uy

        let ex =
            raises<InvalidDataException> "ModelFile.FromBytes(corrupt, \"m.gsm\") |> ignore" (fun () ->
                ModelFile.FromBytes(corrupt, "m.gsm") |> ignore)

        Expect.stringStarts ex.Message "m.gsm: " (sprintf "byte %d" i)

    for length in 0 .. bytes.Length - 1 do
        raises<InvalidDataException> "ModelFile.FromBytes(bytes.[.. length - 1], \"m.gsm\") |> ignore" (fun () ->
            ModelFile.FromBytes(bytes.[.. length - 1], "m.gsm") |> ignore)
        |> ignore

let ``a corrupt file on disk names the file and the fault`` () =
    let path = tempFile ()

    try
        ModelFile.Save(path, KernelDensity.Fit(dataset (bimodal 1 50) None None))
        let bytes = File.ReadAllBytes path
        bytes.[bytes.Length / 2] <- bytes.[bytes.Length / 2] ^^^ 0xFFuy
        File.WriteAllBytes(path, bytes)

        let ex =
            raises<InvalidDataException> "ModelFile.Load path |> ignore" (fun () -> ModelFile.Load path |> ignore)

        contains path ex.Message "ex.Message"
        contains "checksum" ex.Message "ex.Message"
        File.WriteAllText(path, "not a model")

        let ex2 =
            raises<InvalidDataException> "ModelFile.Load path |> ignore" (fun () -> ModelFile.Load path |> ignore)

        contains "magic" ex2.Message "ex2.Message"
    finally
        File.Delete path

let ``an unknown model type or inconsistent content is an InvalidDataException, a registered one loads`` () =
    let path = tempFile ()

    try
        let inner =
            (HistogramSampler.Fit(dataset [| 1.0; 2.0; 3.0 |] None None)).ToModelFile()

        let retype (c: ModelFileContent) t =
            ModelFileContent(t, c.FeatureNames, c.ConditionNames, c.Metadata, c.Arrays)

        ModelFile.Write(path, retype inner "test-unknown")

        let ex =
            raises<InvalidDataException> "ModelFile.Load path |> ignore" (fun () -> ModelFile.Load path |> ignore)

        contains "test-unknown" ex.Message "ex.Message"
        contains "histogram" ex.Message "ex.Message"

        ModelRegistry.Register(
            "test-unknown",
            fun c -> HistogramSampler.FromModelFile(retype c HistogramSampler.ModelType) :> IConditionalGenerator
        )

        Expect.equal ((ModelFile.Load path).ModelType) "histogram" "(ModelFile.Load path).ModelType"
        // Valid container, but the arrays do not fit the model: still an InvalidDataException naming the file.
        ModelFile.Write(
            path,
            ModelFileContent(
                inner.ModelType,
                inner.FeatureNames,
                inner.ConditionNames,
                inner.Metadata,
                [| inner.Arrays.[0] |]
            )
        )

        let ex2 =
            raises<InvalidDataException> "ModelFile.Load path |> ignore" (fun () -> ModelFile.Load path |> ignore)

        contains path ex2.Message "ex2.Message"
        contains "missing" ex2.Message "ex2.Message"
        // Metadata without the model's required fields.
        let empty = ModelJson.ToElement {| |}

        ModelFile.Write(
            path,
            ModelFileContent(inner.ModelType, inner.FeatureNames, inner.ConditionNames, empty, inner.Arrays)
        )

        let ex3 =
            raises<InvalidDataException> "ModelFile.Load path |> ignore" (fun () -> ModelFile.Load path |> ignore)

        contains path ex3.Message "ex3.Message"
        contains "metadata" ex3.Message "ex3.Message"
    finally
        File.Delete path

let ``float32 and int64 arrays round trip bit for bit`` () =
    let content =
        ModelFileContent(
            "custom",
            [| "x" |],
            [||],
            ModelJson.ToElement {| layers = [| 3; 4 |] |},
            [
                ModelArray.OfFloat32("w", [| 1.5f; -0.0f; Single.Epsilon; 3.25f; 7.0f; 8.0f |], [| 2L; 3L |])
                ModelArray.OfInt64("step", [| Int64.MinValue; 0L; 42L |])
                ModelArray.OfFloat64("empty", [||])
            ]
        )

    let back = ModelFile.FromBytes(ModelFile.ToBytes content, "mem")
    Expect.equal back content "back"
    Expect.isTrue (List.ofSeq (back.Array("w").Shape) = [ 2L; 3L ]) "shape"

let ``a parameter that is NaN or infinite is refused at load, with a valid checksum`` () =
    for bad in [ nan; infinity; -infinity ] do
        let content =
            ModelFileContent(
                "custom",
                [| "x" |],
                [||],
                ModelJson.ToElement {| layers = [| 3 |] |},
                [
                    ModelArray.OfFloat32("w", [| 1.0f; float32 bad |])
                    ModelArray.OfFloat64("b", [| 0.5 |])
                ]
            )

        // The writer does not check values; the checksum is valid, so only the value check can refuse it.
        let ex =
            raises<InvalidDataException> "non-finite" (fun () ->
                ModelFile.FromBytes(ModelFile.ToBytes content, "mem") |> ignore)

        contains "mem: array 'w' holds" ex.Message "ex.Message"
        contains "at index 1; a model's parameters must be finite" ex.Message "ex.Message"

[<Tests>]
let tests =
    testList
        "Models.ModelFile"
        [
            testCase "every model survives a file round trip exactly" ``every model survives a file round trip exactly``
            testCase
                "the KDE log-density is unchanged by a round trip"
                ``the KDE log-density is unchanged by a round trip``
            testCase "the file starts with the documented header" ``the file starts with the documented header``
            testCase
                "every flipped byte and every truncation is detected"
                ``every flipped byte and every truncation is detected``
            testCase
                "a corrupt file on disk names the file and the fault"
                ``a corrupt file on disk names the file and the fault``
            testCase
                "an unknown model type or inconsistent content is an InvalidDataException, a registered one loads"
                ``an unknown model type or inconsistent content is an InvalidDataException, a registered one loads``
            testCase
                "float32 and int64 arrays round trip bit for bit"
                ``float32 and int64 arrays round trip bit for bit``
            testCase
                "a parameter that is NaN or infinite is refused at load, with a valid checksum"
                ``a parameter that is NaN or infinite is refused at load, with a valid checksum``
        ]
