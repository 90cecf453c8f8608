module GenStats.Tests.Validation.Studies.StudyReportTests

open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Propagation
open GenStats.Validation.Studies
open GenStats.Tests.Tolerance

let ``numbers write NaN and infinity as null, like the main report JSON and genstats compare`` () =
    let f =
        Amplification.factor
            100
            {
                Source = "s"
                Events = 10
                Quantiles = 5
                ChiSquare = { Value = 0.0; Uncertainty = 0.0 }
                Spread = 0.0
                Expected = 0.4
            }

    Expect.equal f.EquivalentEvents.Value infinity "χ̂² = 0: an infinitely good sample"
    Expect.isTrue (System.Double.IsNaN f.EquivalentEvents.Uncertainty) "f.EquivalentEvents.Uncertainty"
    let n = StudyReport.numbers "f" f

    Expect.equal
        (n.["f"].["EquivalentEvents"].ToJsonString())
        ("""{"Value":null,"Uncertainty":null}""")
        ("n.[\"f\"].[\"EquivalentEvents\"].ToJsonString()")

    Expect.equal
        (n.["f"].["ChiSquare"].ToJsonString())
        ("""{"Value":0,"Uncertainty":0}""")
        "finite numbers stay numbers"
    // Inside arrays, options and anonymous records too.
    let r =
        {|
            Pulls = [| 1.5; nan; -infinity |]
            Coverage = Some nan
            Predicted = (None: float option)
            Sigma = 2.5
        |}

    Expect.equal
        ((StudyReport.numbers "r" r).ToJsonString())
        ("""{"r":{"Coverage":null,"Predicted":null,"Pulls":[1.5,null,null],"Sigma":2.5}}""")
        ("(StudyReport.numbers \"r\" r).ToJsonString()")

let ``amplification factor and its propagated error by hand`` () =
    // χ̂² = 0.01 ± 0.001 at n_q = 11: N_eq = 10/0.01 = 1000 ± 100; N_train = 250 → 4 ± 0.4.
    let f =
        Amplification.factor
            250
            {
                Source = "s"
                Events = 10
                Quantiles = 11
                ChiSquare = { Value = 0.01; Uncertainty = 0.001 }
                Spread = 0.0
                Expected = 1.0
            }

    assertClose { Absolute = 1e-9; Relative = 0.0 } 1000.0 f.EquivalentEvents.Value "f.EquivalentEvents.Value"

    assertClose
        { Absolute = 1e-9; Relative = 0.0 }
        100.0
        f.EquivalentEvents.Uncertainty
        "f.EquivalentEvents.Uncertainty"

    assertClose { Absolute = 1e-12; Relative = 0.0 } 4.0 f.Amplification.Value "f.Amplification.Value"
    assertClose { Absolute = 1e-12; Relative = 0.0 } 0.4 f.Amplification.Uncertainty "f.Amplification.Uncertainty"

let ``the propagation section shows the ensemble and its pulls`` () =
    let mk i v =
        {
            Index = i
            Seed = i
            Result = { Value = v; Uncertainty = 0.1 }
        }

    let s = summarize (Some 1.0) [ mk 0 0.9; mk 1 1.0; mk 2 1.1 ]
    let section = PropagationReport.toSection "q" s
    Expect.equal section.Tables.Length 1 "section.Tables.Length"
    Expect.equal section.Figures.Length 2 "members and pull histogram"

    let noTruth =
        PropagationReport.toSection "q" (summarize None [ mk 0 0.9; mk 1 1.0 ])

    Expect.equal noTruth.Figures.Length 1 "no pulls without a truth"

[<Tests>]
let tests =
    testList
        "StudyReportTests"
        [
            testCase
                "numbers write NaN and infinity as null, like the main report JSON and genstats compare"
                ``numbers write NaN and infinity as null, like the main report JSON and genstats compare``
            testCase
                "amplification factor and its propagated error by hand"
                ``amplification factor and its propagated error by hand``
            testCase
                "the propagation section shows the ensemble and its pulls"
                ``the propagation section shows the ensemble and its pulls``
        ]
