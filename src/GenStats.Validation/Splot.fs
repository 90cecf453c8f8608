/// Extended maximum-likelihood fits and sWeights for F# pipelines: thin curried wrappers over
/// GenStats.Stats.ExtendedMaximumLikelihood, SPlot and IndependenceCheck.
module GenStats.Validation.Splot

open GenStats.Stats

/// Signal shape choices.
type SignalShape =
    | Gauss of mean: float * sigma: float
    | CrystalBall of mean: float * sigma: float * alpha: float * n: float

/// Background shape choices.
type BackgroundShape =
    | Exponential of slope: float
    | Chebyshev2 of c1: float * c2: float

let private signalShape =
    function
    | Gauss(m, s) -> GaussianShape(m, s) :> IFitShape
    | CrystalBall(m, s, a, n) -> CrystalBallShape(m, s, a, n) :> IFitShape

let private backgroundShape =
    function
    | Exponential slope -> ExponentialShape(slope) :> IFitShape
    | Chebyshev2(c1, c2) -> Chebyshev2Shape(c1, c2) :> IFitShape

/// A two-species model ("signal", "background") on [lo, hi].
let model (lo: float, hi: float) (signal: SignalShape) (background: BackgroundShape) =
    FitModel(
        lo,
        hi,
        [|
            FitComponent("signal", signalShape signal)
            FitComponent("background", backgroundShape background)
        |]
    )

/// Extended unbinned ML fit of the events x (all inside the model's range).
let fit (m: FitModel) (x: float[]) = ExtendedMaximumLikelihood.Fit(x, m)

/// sWeights of every species for the events of a fit.
let sWeights (result: FitResult) (x: float[]) = SPlot.FromFit(x, result)

/// The signal sWeights of a two-species fit (Σ = fitted signal yield).
let signalWeights (result: FitResult) (x: float[]) =
    (SPlot.FromFit(x, result)).WeightsOf "signal"

/// Independence check of the discriminating variable and a control variable in a pure component.
let independence (discriminating: float[]) (control: float[]) =
    IndependenceCheck.Test(discriminating, control)
