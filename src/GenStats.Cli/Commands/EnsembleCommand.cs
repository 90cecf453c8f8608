using System.CommandLine;
using System.Globalization;
using System.Reflection;
using GenStats.Validation.Ensembles;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;

namespace GenStats.Cli;

/// <summary>
/// `genstats ensemble`: K members of any `train` configuration, each on its own Poisson-bootstrap
/// replica and seed (systematics propagation, docs/ensembles.md). The verb writes DIR/manifest.json
/// once and starts the members still to train with a runner (local processes or a Slurm array);
/// every runner starts the same line, `genstats ensemble member --out DIR --index i`. Sub-verbs:
/// member, status, gather.
/// </summary>
internal static class EnsembleCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo?>("--data") { Description = "Training table (CSV with a header row, or Parquet). Omit with an existing --out folder to continue its ensemble." };
        var features = new Option<string?>("--features") { Description = "Comma-separated feature columns." };
        var conditions = new Option<string?>("--conditions") { Description = "Comma-separated condition columns (omit for an unconditional model)." };
        var weight = new Option<string?>("--weight") { Description = "Per-event weight column; each member multiplies it by its Poisson(1) replica counts." };
        var model = new Option<string?>("--model") { Description = $"Model, as for train: {string.Join("|", TrainCommand.All)}." };
        var config = new Option<FileInfo?>("--config") { Description = "JSON options of the model, as for train (copied into the manifest)." };
        var transform = new Option<string?>("--transform") { Description = "Per-column preprocessing of a neural model, as for train." };
        var steps = new Option<int?>("--steps") { Description = "Training steps of a neural model, as for train." };
        var aux = new Option<string?>("--aux") { Description = "GAN family: an observable whose distribution enters the generator loss, as for train." };
        var auxWeight = new Option<float?>("--aux-weight") { Description = "Weight of the --aux term, as for train." };
        var auxDistance = new Option<string?>("--aux-distance") { Description = "Distance of the --aux term (mmd or energy), as for train." };
        var members = new Option<int?>("--members") { Description = "K, the number of members (≥ 2)." };
        var seed = new Option<int?>("--seed") { Description = "Ensemble seed (default 0): member k trains with seed memberSeed(seed, k) on replica k." };
        var runner = new Option<string>("--runner") { Description = "local (processes on this host) or slurm (an sbatch --array job).", DefaultValueFactory = _ => "local" };
        var parallel = new Option<int>("--parallel") { Description = "local: members at once.", DefaultValueFactory = _ => 1 };
        var partition = new Option<string?>("--partition") { Description = "slurm: partition." };
        var time = new Option<string?>("--time") { Description = "slurm: wall-time limit per member, e.g. 02:00:00." };
        var mem = new Option<string?>("--mem") { Description = "slurm: memory per member, e.g. 4G." };
        var cpus = new Option<int?>("--cpus") { Description = "slurm: CPUs per member (--cpus-per-task)." };
        var setup = new Option<string[]>("--setup") { Description = "slurm: a line run before the member in each task, e.g. \"module load dotnet\" (repeatable)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would run (the sbatch script and command, or the member command lines) and start nothing." };
        var wait = new Option<bool>("--wait") { Description = "slurm: wait until no member is queued, then print the status." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Ensemble folder (manifest.json, members/, logs/); on a filesystem every node sees.", Required = true };
        var command = new Command("ensemble",
            "Train K models on Poisson-bootstrap replicas (systematics propagation), as local processes or a Slurm array; "
            + "finished members are never retrained. Then: genstats ensemble status/gather --out DIR.")
        {
            data, features, conditions, weight, model, config, transform, steps, aux, auxWeight, auxDistance, members, seed,
            runner, parallel, partition, time, mem, cpus, setup, dryRun, wait, output,
        };
        command.SetAction(r => CliErrors.Run("ensemble", () =>
        {
            var dir = r.GetValue(output)!.FullName;
            var spec = Spec(r.GetValue(data), r.GetValue(features), r.GetValue(conditions), r.GetValue(weight), r.GetValue(model),
                r.GetValue(config), r.GetValue(transform), r.GetValue(steps), r.GetValue(members), r.GetValue(seed),
                new CliAuxiliary.Request(r.GetValue(aux), r.GetValue(auxWeight), r.GetValue(auxDistance)));
            var manifest = spec is null ? Manifest.read(dir) : Ensemble.create(dir, spec);
            var chosen = Runner(r.GetValue(runner)!, r.GetValue(parallel), r.GetValue(partition), r.GetValue(time), r.GetValue(mem),
                r.GetValue(cpus), r.GetValue(setup) ?? []);
            return Submit(dir, manifest, chosen, r.GetValue(dryRun), r.GetValue(wait));
        }));
        command.Subcommands.Add(EnsembleMember.Create());
        command.Subcommands.Add(StatusCommand());
        command.Subcommands.Add(EnsembleGather.Create());
        return command;
    }

    /// <summary>The genstats command line of this process: [dotnet, genstats.dll] or [genstats] (self-contained).</summary>
    public static FSharpList<string> Self()
    {
        string exe = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown; cannot start members.");
        string entry = Assembly.GetEntryAssembly()!.Location;
        return Path.GetFileNameWithoutExtension(exe) == "dotnet" ? ListModule.OfArray(new[] { exe, entry }) : ListModule.OfArray(new[] { exe });
    }

    private static Manifest.Manifest? Spec(FileInfo? data, string? features, string? conditions, string? weight, string? model,
        FileInfo? config, string? transform, int? steps, int? members, int? seed, CliAuxiliary.Request aux)
    {
        bool any = data is not null || features is not null || model is not null || members is not null || conditions is not null
            || weight is not null || config is not null || transform is not null || steps is not null || seed is not null
            || aux.Expression is not null || aux.Weight is not null || aux.Distance is not null;
        if (!any) return null;
        if (model?.Trim() == ConvGanTraining.Name) throw new CliException(ConvGanTraining.NoEnsemble);
        var missing = new[] { ("--data", data is null), ("--features", features is null), ("--model", model is null), ("--members", members is null) }
            .Where(x => x.Item2).Select(x => x.Item1).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"a new ensemble needs {string.Join(", ", missing)} (or give only --out DIR to continue the ensemble in DIR).");
        if (!data!.Exists) throw new FileNotFoundException($"the training table {data.FullName} does not exist.");
        string name = TrainCommand.CheckModel(model!, steps, transform, false);
        if (transform is not null) CliTransforms.Parse(transform);
        var featureNames = CliErrors.Names(features, "--features");
        if (featureNames.Length == 0) throw new ArgumentException("--features names no column; at least one feature is required.");
        var conditionNames = CliErrors.Names(conditions, "--conditions");
        CliAuxiliary.Parse(aux, name)?.CheckColumnsOrThrow(featureNames, conditionNames);
        string? weightName = string.IsNullOrWhiteSpace(weight) ? null : weight.Trim();
        return new Manifest.Manifest(
            data.FullName,
            ListModule.OfArray(featureNames),
            ListModule.OfArray(conditionNames),
            weightName is null ? FSharpOption<string>.None : FSharpOption<string>.Some(weightName),
            name,
            config is null ? FSharpOption<string>.None : FSharpOption<string>.Some(File.ReadAllText(config.FullName)),
            transform is null ? FSharpOption<string>.None : FSharpOption<string>.Some(transform),
            steps is null ? FSharpOption<int>.None : FSharpOption<int>.Some(steps.Value),
            aux.Expression is null ? FSharpOption<string>.None : FSharpOption<string>.Some(aux.Expression),
            aux.Weight is null ? FSharpOption<double>.None : FSharpOption<double>.Some(aux.Weight.Value),
            aux.Distance is null ? FSharpOption<string>.None : FSharpOption<string>.Some(aux.Distance),
            members!.Value,
            seed ?? 0);
    }

    private static Runners.Runner Runner(string runner, int parallel, string? partition, string? time, string? mem, int? cpus, string[] setup)
    {
        static FSharpOption<T> Opt<T>(T? v) where T : class => v is null ? FSharpOption<T>.None : FSharpOption<T>.Some(v);
        switch (runner.Trim().ToLowerInvariant())
        {
            case "local":
                if (partition is not null || time is not null || mem is not null || cpus is not null || setup.Length > 0)
                    throw new ArgumentException("--partition, --time, --mem, --cpus and --setup apply to --runner slurm, not local.");
                if (parallel < 1) throw new ArgumentException($"--parallel is {parallel}; give at least 1.");
                return Runners.Runner.NewLocal(parallel);
            case "slurm":
                if (cpus is < 1) throw new ArgumentException($"--cpus is {cpus}; give at least 1.");
                return Runners.Runner.NewSlurm(new Runners.SlurmOptions(
                    Opt(partition), Opt(time), Opt(mem), cpus is null ? FSharpOption<int>.None : FSharpOption<int>.Some(cpus.Value),
                    ListModule.OfArray(setup)));
            default:
                throw new ArgumentException($"--runner '{runner}' is unknown; choose local or slurm.");
        }
    }

    private static int Submit(string dir, Manifest.Manifest manifest, Runners.Runner runner, bool dryRun, bool wait)
    {
        if (wait && !runner.IsSlurm) throw new ArgumentException("--wait applies to --runner slurm (the local runner always waits).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var onExit = FuncConvert.FromAction<int, int>((i, code) =>
            Console.WriteLine(code == 0 ? $"member {i} done" : $"member {i} failed (exit {code}); its output is in {Members.logPath(dir, i)}"));
        var result = Ensemble.submit(Self(), runner, dryRun, onExit, dir);
        switch (result)
        {
            case Ensemble.Submission.DryRun d:
                if (d.script.Length > 0)
                {
                    Console.Write(d.script);
                    Console.WriteLine(d.command.Length > 0 ? $"# submit with: {d.command}" : "# every member is done or queued: nothing to submit");
                }
                else Console.WriteLine(d.command.Length > 0 ? d.command : "# every member is done: nothing to run");
                return 0;
            case Ensemble.Submission.Submitted s:
                Console.WriteLine($"submitted Slurm job {s.job}: members {Members.arraySpec(s.indices)} of {manifest.Members} (script {Runners.slurmScriptPath(dir)})");
                if (!wait)
                {
                    Console.WriteLine($"follow with: genstats ensemble status --out {dir}");
                    return 0;
                }
                var final = Ensemble.wait(TimeSpan.FromSeconds(2), TimeSpan.FromDays(30), dir);
                Console.WriteLine(Ensemble.describe(final));
                return final.Missing.IsEmpty ? 0 : 1;
            case Ensemble.Submission.Ran ran:
                var status = Ensemble.status(dir);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ran {ran.started.Length} member(s) in {clock.Elapsed.TotalSeconds:F1} s; {Ensemble.describe(status)}"));
                if (!ran.failed.IsEmpty)
                    throw new InvalidOperationException($"member(s) {Members.arraySpec(ran.failed)} failed; see {Path.Combine(dir, "logs")}, fix the cause and run genstats ensemble --out {dir} again (finished members are kept).");
                return 0;
            default:
                Console.WriteLine($"every member is done ({manifest.Members}/{manifest.Members}); next: genstats ensemble gather --out {dir} --quantity …");
                return 0;
        }
    }

    private static Command StatusCommand()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Ensemble folder.", Required = true };
        var command = new Command("status", "Which members are done, queued (Slurm, from squeue) or missing (never run, failed, cancelled).") { output };
        command.SetAction(r => CliErrors.Run("ensemble status", () =>
        {
            var dir = r.GetValue(output)!.FullName;
            var s = Ensemble.status(dir);
            Console.WriteLine(Ensemble.describe(s));
            foreach (var m in s.Done)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  member {m.Index}: seed {m.Seed}, {m.Seconds:F1} s on {m.Host}"));
            return 0;
        }));
        return command;
    }
}
