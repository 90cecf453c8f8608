/// Runs an exported model (ModelExport) the two ways a user deploys it — ONNX Runtime on the graph and
/// the system C compiler on the C file — and compares both with GenStats' own SampleFromNoise.
module GenStats.Tests.Models.ExportHarness

open Expecto
open System
open System.Diagnostics
open System.IO
open GenStats.Models
open Microsoft.ML.OnnxRuntime

/// Float32-representable standard normal values (the exported functions take float32 input).
let normals (r: Random) n w =
    Array.init n (fun _ ->
        Array.init w (fun _ ->
            let u1, u2 = 1.0 - r.NextDouble(), r.NextDouble()
            float (float32 (sqrt (-2.0 * log u1) * cos (2.0 * Math.PI * u2)))))

let private flat (rows: float[][]) =
    rows |> Array.collect (Array.map float32)

/// ONNX Runtime on the exported graph; its one output ("features" [N, k], or "images" [N, H, W]
/// of an image model) as rows of the values after the batch axis.
let runOnnx (bytes: byte[]) (conditions: float[][] option) (noise: float[][]) =
    use session = new InferenceSession(bytes)
    let output = Seq.exactlyOne session.OutputMetadata.Keys

    let value (rows: float[][]) =
        OrtValue.CreateTensorValueFromMemory(flat rows, [| int64 rows.Length; int64 rows[0].Length |])

    let inputs =
        [|
            yield "noise", value noise
            match conditions with
            | Some c -> yield "conditions", value c
            | None -> ()
        |]

    use options = new RunOptions()

    use outputs =
        session.Run(options, Array.map fst inputs, Array.map snd inputs, [| output |])

    for _, v in inputs do
        v.Dispose()

    let out = outputs[0]
    let shape = out.GetTensorTypeAndShape().Shape
    let data = out.GetTensorDataAsSpan<float32>().ToArray()
    let width = shape |> Array.skip 1 |> Array.fold (*) 1L |> int
    Array.init (int shape[0]) (fun i -> Array.init width (fun c -> float data[i * width + c]))

let private compiler () =
    [ "cc"; "gcc" ]
    |> List.tryFind (fun c ->
        (Environment.GetEnvironmentVariable "PATH").Split(':')
        |> Array.exists (fun d -> File.Exists(Path.Combine(d, c))))

let private run (exe: string) (args: string) (dir: string) =
    let psi =
        ProcessStartInfo(exe, args, WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true)

    use p = Process.Start psi
    let err = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd()
    p.WaitForExit()

    if p.ExitCode <> 0 then
        failtestf "%s %s failed (%d): %s" exe args p.ExitCode err

/// Reads conditions.bin and noise.bin, calls genstats_generate, writes out.bin (float32 rows).
let private driver =
    String.concat
        "\n"
        [
            "#include \"model.c\""
            "#include <stdio.h>"
            "#include <stdlib.h>"
            "static void io(const char* path, float* data, size_t count, int write) {"
            "    FILE* f = fopen(path, write ? \"wb\" : \"rb\");"
            "    if (!f || (write ? fwrite(data, sizeof(float), count, f) : fread(data, sizeof(float), count, f)) != count) exit(2);"
            "    fclose(f);"
            "}"
            "int main(int argc, char** argv) {"
            "    int n = atoi(argv[1]);"
            "    (void)argc;"
            "    float* c = malloc(sizeof(float) * (size_t)n * (GENSTATS_CONDITIONS + 1));"
            "    float* z = malloc(sizeof(float) * (size_t)n * GENSTATS_NOISE);"
            "    float* o = malloc(sizeof(float) * (size_t)n * GENSTATS_FEATURES);"
            "    if (GENSTATS_CONDITIONS > 0) io(\"conditions.bin\", c, (size_t)n * GENSTATS_CONDITIONS, 0);"
            "    io(\"noise.bin\", z, (size_t)n * GENSTATS_NOISE, 0);"
            "    genstats_generate(GENSTATS_CONDITIONS > 0 ? c : NULL, z, o, n);"
            "    io(\"out.bin\", o, (size_t)n * GENSTATS_FEATURES, 1);"
            "    free(c);"
            "    free(z);"
            "    free(o);"
            "    return 0;"
            "}"
            ""
        ]

/// The C file compiled with the system compiler (all warnings as errors) and a driver that reads
/// and writes binary float32 rows.
let runC (source: string) (conditions: float[][] option) (noise: float[][]) features =
    let cc =
        compiler ()
        |> Option.defaultWith (fun () -> failtest "no C compiler (cc/gcc) on PATH; scripts/test.sh installs gcc")

    let dir =
        Path.Combine(Path.GetTempPath(), "genstats-export-" + Guid.NewGuid().ToString("N"))

    Directory.CreateDirectory dir |> ignore

    try
        File.WriteAllText(Path.Combine(dir, "model.c"), source)
        File.WriteAllText(Path.Combine(dir, "driver.c"), driver)

        let write name (rows: float[][]) =
            File.WriteAllBytes(Path.Combine(dir, name), flat rows |> Array.collect BitConverter.GetBytes)

        conditions |> Option.iter (write "conditions.bin")
        write "noise.bin" noise
        run cc "-std=c99 -O2 -Wall -Wextra -Werror -o driver driver.c -lm" dir
        run (Path.Combine(dir, "driver")) (string noise.Length) dir
        let bytes = File.ReadAllBytes(Path.Combine(dir, "out.bin"))

        Array.init noise.Length (fun i ->
            Array.init features (fun c -> float (BitConverter.ToSingle(bytes, 4 * (i * features + c)))))
    finally
        Directory.Delete(dir, true)

let maxDeviation (a: float[][]) (b: float[][]) =
    Array.map2 (Array.map2 (fun (x: float) y -> abs (x - y) / (1.0 + abs y))) a b
    |> Array.collect id
    |> Array.max

/// L_ic = max_k |∂x_ic/∂z_k|, the sensitivity of each generated value to the noise, by central
/// differences (step 1e-3) of GenStats' own function.
let private sensitivity
    (sampleFromNoise: float[][] -> float[][] -> float[][])
    (conditions: float[][] option)
    (noise: float[][])
    =
    let n, w = noise.Length, noise[0].Length
    let h = 1e-3

    let shifted sign =
        [|
            for k in 0 .. w - 1 do
                for i in 0 .. n - 1 -> Array.init w (fun c -> if c = k then noise[i].[c] + sign * h else noise[i].[c])
        |]

    let repeated =
        conditions
        |> Option.map (fun c -> Array.concat (List.replicate w c))
        |> Option.toObj

    let up, down =
        sampleFromNoise repeated (shifted 1.0), sampleFromNoise repeated (shifted -1.0)

    Array.init n (fun i ->
        Array.init up[0].Length (fun c ->
            Seq.max
                [
                    for k in 0 .. w - 1 -> abs (up[k * n + i].[c] - down[k * n + i].[c]) / (2.0 * h)
                ]))

/// Conditions and noise for n events (seeded); the reference is GenStats' own SampleFromNoise. Fails
/// when ONNX or C deviates by more than `tolerance` in |Δ|/(1 + |x|), or, with `scaled`, in
/// |Δ|/((1 + |x|)·max(1, L)) with L the value's sensitivity to the noise (see ExportFlowTests);
/// returns both maxima of the measure tested.
let check
    tolerance
    scaled
    (model: IConditionalGenerator)
    sampleFromNoise
    (conditions: (Random -> int -> float[][]) option)
    label
    =
    let r = Random(17)
    let n = 400
    let noise = normals r n (ModelExport.NoiseWidth model)
    let conditions = conditions |> Option.map (fun f -> f r n)
    let expected: float[][] = sampleFromNoise (Option.toObj conditions) noise
    let onnx = runOnnx (ModelExport.OnnxBytes model) conditions noise
    let c = runC (ModelExport.CSource model) conditions noise model.FeatureNames.Count
    let dOnnx, dC = maxDeviation onnx expected, maxDeviation c expected
    printfn "export %s: max |Δ|/(1+|x|) ONNX %.2e, C %.2e" label dOnnx dC

    if not scaled then
        Expect.isLessThan dOnnx tolerance $"{label}: ONNX Runtime reproduces SampleFromNoise"
        Expect.isLessThan dC tolerance $"{label}: the compiled C file reproduces SampleFromNoise"
        dOnnx, dC
    else
        let l = sensitivity sampleFromNoise conditions noise

        let scaledMax (a: float[][]) =
            Seq.max
                [
                    for i in 0 .. n - 1 do
                        for j in 0 .. expected[i].Length - 1 ->
                            abs (a[i].[j] - expected[i].[j])
                            / ((1.0 + abs expected[i].[j]) * max 1.0 l[i].[j])
                ]

        let sOnnx, sC = scaledMax onnx, scaledMax c
        let lMax = l |> Array.collect id |> Array.max
        printfn "export %s: max |Δ|/((1+|x|)·max(1, L)) ONNX %.2e, C %.2e (L up to %.0f)" label sOnnx sC lMax
        Expect.isLessThan sOnnx tolerance $"{label}: ONNX Runtime reproduces SampleFromNoise"
        Expect.isLessThan sC tolerance $"{label}: the compiled C file reproduces SampleFromNoise"
        sOnnx, sC
