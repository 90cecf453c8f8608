using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Benchmarks.Engine;

/// <summary>
/// The LHCb-RICH-shaped Cramér GAN (DESIGN §2): generator and critic with 10 hidden layers × 128
/// ReLU, 64-d latent, 3 conditions, 5 outputs, 256-d critic output, batch 512, 15 critic steps per
/// generator step with a one-sided gradient penalty (λ = 10), RMSProp, exponential LR decay.
/// Critic surrogate h(x) = ‖f(x) − f(x'_g)‖ − ‖f(x)‖, loss L = mean(h(x_r) − h(x_g)); the critic
/// maximises L − λ·GP, the generator minimises L. Synthetic normal "real" data: only speed matters.
/// The same algorithm is in reference/engine_reference.py for PyTorch.
/// </summary>
public sealed class CramerGanBench
{
    public const int Batch = 512, Latent = 64, Conditions = 3, Features = 5, CriticOut = 256, Hidden = 128, Depth = 10, CriticSteps = 15;
    private const float Lambda = 10f;

    public readonly Mlp Generator, Critic;
    private readonly RmsProp optG, optC;
    private readonly ExponentialLr schedule = new(1e-4f, 0.999f);
    private readonly Rng rng = new(2024);
    private long generatorSteps;

    public CramerGanBench()
    {
        static int[] Sizes(int input, int output) => [input, .. Enumerable.Repeat(Hidden, Depth), output];
        Generator = Mlp.Create(Sizes(Latent + Conditions, Features), Activation.Relu, Activation.Identity, 1);
        Critic = Mlp.Create(Sizes(Features + Conditions, CriticOut), Activation.Relu, Activation.Identity, 2);
        optG = new RmsProp(Generator.Parameters(), new RmsPropOptions { LearningRate = 1e-4f });
        optC = new RmsProp(Critic.Parameters(), new RmsPropOptions { LearningRate = 1e-4f });
    }

    private Tensor F(Tensor x, Tensor y) => Critic.Forward(Ops.Concat([x, y], 1));

    private Tensor G(Tensor y) => Generator.Forward(Ops.Concat([rng.Normal(Batch, Latent), y], 1));

    /// <summary>h(x) = ‖f(x) − f(x'_g)‖ − ‖f(x)‖ per row.</summary>
    private static Tensor H(Tensor fx, Tensor fg2) => Ops.Sub(Ops.RowNorm(Ops.Sub(fx, fg2)), Ops.RowNorm(fx));

    private void CriticStep()
    {
        using var scope = TensorScope.Begin();
        var xr = rng.Normal(Batch, Features);
        var y = rng.Normal(Batch, Conditions);
        Tensor xg, xg2;
        using (Autograd.NoGrad())
        {
            xg = G(y);
            xg2 = G(y);
        }
        var fg2 = F(xg2, y);
        var loss = Ops.Mean(Ops.Sub(H(F(xr, y), fg2), H(F(xg, y), fg2)));
        // One-sided gradient penalty on interpolates x̂ = εx_r + (1 − ε)x_g.
        var eps = rng.Uniform(Batch, 1);
        var xhat = Ops.Add(Ops.Mul(eps, xr), Ops.Mul(Ops.Affine(eps, -1, 1), xg)).Detach().RequireGrad();
        var grad = Autograd.Grad(Ops.Sum(H(F(xhat, y), fg2)), [xhat], createGraph: true)[0];
        var gp = Ops.Mean(Ops.Square(Ops.Relu(Ops.Affine(Ops.RowNorm(grad), 1, -1))));
        var criticLoss = Ops.Add(Ops.Neg(loss), Ops.Affine(gp, Lambda, 0));
        optC.ZeroGrad();
        criticLoss.Backward();
        optC.Step();
    }

    private void GeneratorUpdate()
    {
        using var scope = TensorScope.Begin();
        foreach (var p in Critic.Parameters()) p.RequiresGrad = false;
        try
        {
            var xr = rng.Normal(Batch, Features);
            var y = rng.Normal(Batch, Conditions);
            var fg2 = F(G(y), y);
            var loss = Ops.Mean(Ops.Sub(H(F(xr, y), fg2), H(F(G(y), y), fg2)));
            optG.ZeroGrad();
            loss.Backward();
            optG.Step();
        }
        finally
        {
            foreach (var p in Critic.Parameters()) p.RequiresGrad = true;
        }
    }

    /// <summary>15 critic steps then one generator step.</summary>
    public void GeneratorStep()
    {
        Training.ApplySchedule(schedule, optG, generatorSteps);
        Training.ApplySchedule(schedule, optC, generatorSteps);
        for (int i = 0; i < CriticSteps; i++) CriticStep();
        GeneratorUpdate();
        generatorSteps++;
    }

    /// <summary>Generator samples at a batch of <paramref name="batch"/> in no-grad mode.</summary>
    public void Sample(int batch, Rng noise)
    {
        using var scope = TensorScope.Begin();
        using var ng = Autograd.NoGrad();
        var y = noise.Normal(batch, Conditions);
        Generator.Forward(Ops.Concat([noise.Normal(batch, Latent), y], 1));
    }
}
