using System.Globalization;
using GenStats.Models;
using GenStats.Models.Files;

namespace GenStats.Cli;

/// <summary>What `train --help` says about the neural defaults, read from the option records themselves so it cannot drift.</summary>
internal static class NeuralDefaults
{
    private static string Kebab<T>(T value) => ModelJson.ToElement(value).GetString() ?? value!.ToString()!;

    public static string Text
    {
        get
        {
            var g = new GanOptions();
            var v = new VaeOptions();
            var m = new FlowMatchingOptions();
            var mb = TrainingPlan.FlowMatching;
            var f = new FlowOptions();
            var c = CultureInfo.InvariantCulture;
            return string.Create(c, $"""
                Neural defaults (no --config, no --steps): {TrainingPlan.AutoEpochs:G} epochs of the training events, at least {TrainingPlan.AutoMinSteps} and at most {TrainingPlan.AutoMaxSteps} steps (cfm: its own budget, below);
                Preprocessing: features {Kebab(g.FeatureTransform)}, conditions {Kebab(g.ConditionTransform)} (--transform overrides it per column).
                {g.HeldOutFraction:P0} of the events held out (at most {g.MaxHeldOut}) and evaluated {TrainingPlan.AutoEvaluations} times; the model keeps the best evaluation (cfm: the last network).
                GANs: {g.GeneratorLayers.Length}×{g.GeneratorLayers[0]} generator and critic, latent {g.LatentSize}, {Kebab(g.Optimizer)} lr {g.GeneratorLearningRate:G3}, {g.WarmupFraction:P0} warm-up then {Kebab(g.LrSchedule)} decay,
                batch {g.BatchSize}, {g.CriticSteps} critic steps per generator step, penalty λ = {g.PenaltyWeight:G3}, generator weights averaged (EMA β = {g.EmaDecay:G4}),
                best = lowest held-out energy distance on the preprocessed scale.
                VAE: encoder/decoder {string.Join("×", v.EncoderLayers)}, latent {v.LatentSize}, Adam lr {v.LearningRate:G3}, {v.WarmupFraction:P0} warm-up then {Kebab(v.LrSchedule)} decay, batch {v.BatchSize}, best = highest held-out ELBO.
                cfm (flow matching): {mb.Epochs:G} epochs, at least {mb.MinSteps} and at most {mb.MaxSteps} steps; velocity network {string.Join("×", m.Layers)} ({Kebab(m.Activation)}), features {Kebab(m.FeatureTransform)},
                Adam lr {m.LearningRate:G3}, {m.WarmupFraction:P0} warm-up then {Kebab(m.LrSchedule)} decay to 0, batch {m.BatchSize}, path times {Kebab(m.TimeSampling)} (t = u^(1/3)), EMA β = {m.EmaDecay:G4}; keeps the last (EMA) network
                ("keepBest": true = lowest held-out energy distance); sampling {Kebab(m.Solver)} with {m.OdeSteps} ODE steps (config "solver": euler|midpoint|rk4, "odeSteps").
                Flow: {f.Layers} {Kebab(f.Architecture)} layers of rational-quadratic splines (K = {f.Bins} bins on [−{f.TailBound:G3}, {f.TailBound:G3}]), conditioners {string.Join("×", f.HiddenLayers)}, features {Kebab(f.FeatureTransform)}, Adam lr {f.LearningRate:G3}, {f.WarmupFraction:P0} warm-up then {Kebab(f.LrSchedule)} decay, batch {f.BatchSize},
                best = latest evaluation within one standard error of the lowest held-out NLL.
                Why these: docs/neural-models.md.
                """);
        }
    }
}
