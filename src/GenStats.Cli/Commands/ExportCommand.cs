using System.CommandLine;
using GenStats.Models;
using GenStats.Models.Files;

namespace GenStats.Cli;

/// <summary>
/// `genstats export --model M.gsm --onnx M.onnx --c M.c`: the generator of a trained neural model with
/// its preprocessing as one ONNX graph and/or one dependency-free C file (<see cref="ModelExport"/>);
/// noise is an input the caller draws, conditions and features are in raw units.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "A neural model file (.gsm: GAN family, VAE, flow, cfm or conv-gan) written by genstats train.", Required = true };
        var onnx = new Option<FileInfo?>("--onnx") { Description = "Write the generator with its preprocessing as one ONNX graph (opset 17, float32)." };
        var c = new Option<FileInfo?>("--c") { Description = "Write the same function as one C99 file: genstats_generate(conditions, noise, out, n)." };
        var command = new Command("export", "Export a trained generator with its preprocessing to ONNX and/or C for deployment.") { model, onnx, c };
        command.SetAction(r => CliErrors.Run("export", () => Run(r.GetValue(model)!, r.GetValue(onnx), r.GetValue(c))));
        return command;
    }

    private static int Run(FileInfo file, FileInfo? onnx, FileInfo? c)
    {
        if (onnx is null && c is null) throw new ArgumentException("nothing to write: give --onnx FILE and/or --c FILE.");
        if (!file.Exists) throw new ArgumentException($"model file '{file.FullName}' does not exist.");
        var m = ModelFile.Load(file.FullName);
        int noise;
        try
        {
            noise = ModelExport.NoiseWidth(m);
            if (onnx is not null) ModelExport.WriteOnnx(m, onnx.FullName);
            if (c is not null) ModelExport.WriteC(m, c.FullName);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"{file.Name}: {e.Message}", e);
        }
        string inputs = $"noise [n, {noise}] ~ N(0, I)" + (m.ConditionNames.Count > 0 ? $", conditions [n, {m.ConditionNames.Count}] ({string.Join(", ", m.ConditionNames)})" : "");
        string outputs = $"features [n, {m.FeatureNames.Count}] ({string.Join(", ", m.FeatureNames)})";
        string onnxOutputs = outputs;
        if (m is IImageGenerator image)
        {
            onnxOutputs = $"images [n, {image.ImageHeight}, {image.ImageWidth}] (cell energies)";
            outputs = $"out [n, {image.ImageHeight}·{image.ImageWidth}] (cell energies, row-major)";
        }
        if (onnx is not null) Console.WriteLine($"wrote {onnx.FullName}: ONNX opset 17, inputs {inputs}; output {onnxOutputs}");
        if (c is not null) Console.WriteLine($"wrote {c.FullName}: genstats_generate(conditions, noise, out, n), {inputs}; {outputs}");
        return 0;
    }
}
