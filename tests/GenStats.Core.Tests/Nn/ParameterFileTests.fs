/// Parameter files: exact round trip, every single-byte corruption and every truncation detected.
module GenStats.Tests.Nn.ParameterFileTests

open Expecto
open System
open System.IO
open GenStats.Tensors
open GenStats.Nn
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.Expectations

let private tempDir () =
    let d =
        Path.Combine(Path.GetTempPath(), "genstats-params-" + Guid.NewGuid().ToString("N"))

    Directory.CreateDirectory d |> ignore
    d

let ``save then load restores every value bit for bit, with names, shapes and metadata`` () =
    let dir = tempDir ()

    try
        let mlp = Mlp.Create([| 3; 5; 2 |], seed = 4UL)
        // Special values survive too.
        let bias = mlp.Linears[0].Bias.ToArray()
        bias[0] <- Single.Epsilon
        bias[1] <- -0.0f
        bias[2] <- Single.MaxValue
        mlp.Linears[0].Bias.CopyFrom(ReadOnlySpan bias)
        let path = Path.Combine(dir, "model.gsp")
        mlp.SaveParameters(path, readOnlyDict [ "model", "test"; "epoch", "3" ])
        let other = Mlp.Create([| 3; 5; 2 |], seed = 99UL)
        let meta = other.LoadParameters path
        Expect.equal (meta["epoch"]) "3" "meta[\"epoch\"]"

        for p, q in Seq.zip (mlp.Parameters()) (other.Parameters()) do
            let bits (t: Tensor) =
                t.ToArray() |> Array.map BitConverter.SingleToInt32Bits

            eqArr (bits q) (bits p)

        let content = ParameterFile.Load path

        eqArr
            (content.Tensors |> Seq.map (fun t -> t.Name) |> Array.ofSeq)
            [| "0.weight"; "0.bias"; "2.weight"; "2.bias" |]

        eqArr content.Tensors[2].Shape [| 5; 2 |]
        eqArr (Directory.GetFiles dir |> Array.map Path.GetFileName) [| "model.gsp" |]
    finally
        Directory.Delete(dir, true)

let ``flipping any single byte is detected`` () =
    let mlp = Mlp.Create([| 2; 3; 1 |], seed = 4UL)
    let bytes = ParameterFile.ToBytes(mlp.NamedParameters())

    for i in 0 .. bytes.Length - 1 do
        for flip in [ 0x01uy; 0x80uy; 0xFFuy ] do
            let bad = Array.copy bytes
            bad[i] <- bad[i] ^^^ flip

            let ex =
                raises<InvalidDataException> "ParameterFile.FromBytes(bad, \"x.gsp\") |> ignore" (fun () ->
                    ParameterFile.FromBytes(bad, "x.gsp") |> ignore)

            contains "x.gsp" ex.Message "ex.Message"

let ``every truncation and trailing garbage is detected`` () =
    let mlp = Mlp.Create([| 2; 3; 1 |], seed = 4UL)
    let bytes = ParameterFile.ToBytes(mlp.NamedParameters())

    for n in 0 .. bytes.Length - 1 do
        raises<InvalidDataException> "ParameterFile.FromBytes(bytes[0 .. n - 1]) |> ignore" (fun () ->
            ParameterFile.FromBytes(bytes[0 .. n - 1]) |> ignore)
        |> ignore

    raises<InvalidDataException> "ParameterFile.FromBytes(Array.append bytes [| 0uy |]) |> ignore" (fun () ->
        ParameterFile.FromBytes(Array.append bytes [| 0uy |]) |> ignore)
    |> ignore

let ``loading into a module of another architecture is refused`` () =
    let dir = tempDir ()

    try
        let path = Path.Combine(dir, "m.gsp")
        (Mlp.Create([| 3; 5; 2 |])).SaveParameters path

        raises<InvalidDataException> "(Mlp.Create([| 3; 4; 2 |])).LoadParameters path |> ignore" (fun () ->
            (Mlp.Create([| 3; 4; 2 |])).LoadParameters path |> ignore)
        |> ignore

        raises<InvalidDataException> "(Mlp.Create([| 3; 5; 5; 2 |])).LoadParameters path |> ignore" (fun () ->
            (Mlp.Create([| 3; 5; 5; 2 |])).LoadParameters path |> ignore)
        |> ignore
    finally
        Directory.Delete(dir, true)

[<Tests>]
let tests =
    testList
        "Nn.ParameterFile"
        [
            testCase
                "save then load restores every value bit for bit, with names, shapes and metadata"
                ``save then load restores every value bit for bit, with names, shapes and metadata``
            testCase "flipping any single byte is detected" ``flipping any single byte is detected``
            testCase
                "every truncation and trailing garbage is detected"
                ``every truncation and trailing garbage is detected``
            testCase
                "loading into a module of another architecture is refused"
                ``loading into a module of another architecture is refused``
        ]
