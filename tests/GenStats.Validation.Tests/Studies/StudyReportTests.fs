module GenStats.Tests.Validation.Studies.StudyReportTests

open NUnit.Framework
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Propagation
open GenStats.Validation.Studies

[<Test>]
let ``numbers write NaN and infinity as null, like the main report JSON and genstats compare`` () =
    let f = Amplification.factor 100 { Source = "s"; Events = 10; Quantiles = 5; ChiSquare = { Value = 0.0; Uncertainty = 0.0 }; Spread = 0.0; Expected = 0.4 }
    Assert.That(f.EquivalentEvents.Value, Is.EqualTo infinity, "χ̂² = 0: an infinitely good sample")
    Assert.That(f.EquivalentEvents.Uncertainty, Is.NaN)
    let n = StudyReport.numbers "f" f
    Assert.That(n.["f"].["EquivalentEvents"].ToJsonString(), Is.EqualTo """{"Value":null,"Uncertainty":null}""")
    Assert.That(n.["f"].["ChiSquare"].ToJsonString(), Is.EqualTo """{"Value":0,"Uncertainty":0}""", "finite numbers stay numbers")
    // Inside arrays, options and anonymous records too.
    let r = {| Pulls = [| 1.5; nan; -infinity |]; Coverage = Some nan; Predicted = (None: float option); Sigma = 2.5 |}
    Assert.That((StudyReport.numbers "r" r).ToJsonString(), Is.EqualTo """{"r":{"Coverage":null,"Predicted":null,"Pulls":[1.5,null,null],"Sigma":2.5}}""")

[<Test>]
let ``amplification factor and its propagated error by hand`` () =
    // χ̂² = 0.01 ± 0.001 at n_q = 11: N_eq = 10/0.01 = 1000 ± 100; N_train = 250 → 4 ± 0.4.
    let f = Amplification.factor 250 { Source = "s"; Events = 10; Quantiles = 11; ChiSquare = { Value = 0.01; Uncertainty = 0.001 }; Spread = 0.0; Expected = 1.0 }
    Assert.That(f.EquivalentEvents.Value, Is.EqualTo(1000.0).Within(1e-9))
    Assert.That(f.EquivalentEvents.Uncertainty, Is.EqualTo(100.0).Within(1e-9))
    Assert.That(f.Amplification.Value, Is.EqualTo(4.0).Within(1e-12))
    Assert.That(f.Amplification.Uncertainty, Is.EqualTo(0.4).Within(1e-12))

[<Test>]
let ``the propagation section shows the ensemble and its pulls`` () =
    let mk i v = { Index = i; Seed = i; Result = { Value = v; Uncertainty = 0.1 } }
    let s = summarize (Some 1.0) [ mk 0 0.9; mk 1 1.0; mk 2 1.1 ]
    let section = PropagationReport.toSection "q" s
    Assert.That(section.Tables.Length, Is.EqualTo 1)
    Assert.That(section.Figures.Length, Is.EqualTo 2, "members and pull histogram")
    let noTruth = PropagationReport.toSection "q" (summarize None [ mk 0 0.9; mk 1 1.0 ])
    Assert.That(noTruth.Figures.Length, Is.EqualTo 1, "no pulls without a truth")
