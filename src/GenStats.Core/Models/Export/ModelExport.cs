namespace GenStats.Models;

/// <summary>
/// Deployment of a trained neural generator outside .NET: the generator WITH its preprocessing as
/// one ONNX graph or one dependency-free C file, computing the same function as
/// <c>SampleFromNoise(conditions, noise)</c> of <see cref="ConditionalGan"/>, <see cref="ConditionalVae"/>,
/// <see cref="ConditionalSplineFlow"/>, <see cref="ConditionalFlowMatching"/> and <see cref="ConditionalConvGan"/>: raw conditions and
/// standard-normal noise in, generated features in raw units out. The caller draws the noise (its
/// layout is in the files' documentation and in docs/neural-models.md).
/// Covered: the GAN family's generator, the VAE decoder with the N(0, I) prior (a VAE sampling from
/// a fitted <see cref="LatentMixture"/> is refused), the spline flow's sampling direction (coupling and
/// autoregressive layers, nflows' inverse rational-quadratic spline) and flow matching's ODE solver
/// unrolled (Euler, midpoint, RK4 with the model's step count), the conv GAN's generator (output
/// "images" [batch, H, W] in ONNX; H·W values per row in C); transforms identity, standard, log,
/// log1p, logit, periodic and quantile-normal; dense layers with every <see cref="Nn.Activation"/>.
/// </summary>
public static class ModelExport
{
    /// <summary>The ONNX ModelProto bytes (IR 8, opset 17, float32): inputs "noise" [batch, noise width] and, when conditional, "conditions" [batch, conditions]; output "features" [batch, features] (conv-gan: "images" [batch, H, W]).</summary>
    /// <exception cref="NotSupportedException">A model or part export does not cover.</exception>
    public static byte[] OnnxBytes(IConditionalGenerator model) => ExportSpec.For(model) switch
    {
        GeneratorSpec s => OnnxExport.Build(s),
        FlowSpec s => FlowOnnx.Build(s),
        CfmSpec s => CfmOnnx.Build(s),
        ConvGanSpec s => ConvGanOnnx.Build(s),
        var s => throw new NotSupportedException($"no ONNX writer for {s.ModelType}."),
    };

    /// <summary>The C99 source defining <c>void genstats_generate(const float* conditions, const float* noise, float* out, int n)</c> (row-major; conditions NULL when unconditional) and the sizes GENSTATS_CONDITIONS, GENSTATS_NOISE, GENSTATS_FEATURES.</summary>
    /// <exception cref="NotSupportedException">A model or part export does not cover.</exception>
    public static string CSource(IConditionalGenerator model) => ExportSpec.For(model) switch
    {
        GeneratorSpec s => CExport.Build(s),
        FlowSpec s => FlowC.Build(s),
        CfmSpec s => CfmC.Build(s),
        ConvGanSpec s => ConvGanC.Build(s),
        var s => throw new NotSupportedException($"no C writer for {s.ModelType}."),
    };

    /// <summary>Noise values per event the exported function takes (GAN and conv-gan: latent size; VAE: latent size + model width of the features; flow and cfm: model width of the features).</summary>
    /// <exception cref="NotSupportedException">A model export does not cover.</exception>
    public static int NoiseWidth(IConditionalGenerator model) => ExportSpec.For(model).NoiseWidth;

    /// <summary>Writes <see cref="OnnxBytes"/> to <paramref name="path"/> (atomically).</summary>
    public static void WriteOnnx(IConditionalGenerator model, string path) => AtomicWrite(path, OnnxBytes(model));

    /// <summary>Writes <see cref="CSource"/> to <paramref name="path"/> (UTF-8, atomically).</summary>
    public static void WriteC(IConditionalGenerator model, string path) => GenStats.Numerics.AtomicFile.WriteText(path, CSource(model));

    private static void AtomicWrite(string path, byte[] bytes) => GenStats.Numerics.AtomicFile.Write(path, s => s.Write(bytes));
}
