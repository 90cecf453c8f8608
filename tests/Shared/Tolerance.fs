/// One tolerance helper for every numeric assertion: |actual − expected| ≤ abs + rel·|expected|.
/// Presets follow the usual ladder (low … veryHigh); tests name the preset they rely on.
module GenStats.Tests.Tolerance

open Expecto

type Accuracy = { Absolute: float; Relative: float }

let low = { Absolute = 1e-6; Relative = 1e-3 }
let medium = { Absolute = 1e-8; Relative = 1e-5 }
let high = { Absolute = 1e-10; Relative = 1e-7 }
let veryHigh = { Absolute = 1e-12; Relative = 1e-9 }

/// True when actual is within the accuracy of expected (both finite).
let isClose (accuracy: Accuracy) (expected: float) (actual: float) =
    System.Double.IsFinite actual
    && abs (actual - expected) <= accuracy.Absolute + accuracy.Relative * abs expected

/// Asserts closeness with a message that shows both numbers and the allowed gap.
let assertClose (accuracy: Accuracy) (expected: float) (actual: float) (what: string) =
    if not (isClose accuracy expected actual) then
        failtestf
            "%s: expected %.17g, got %.17g (allowed %.3g abs + %.3g rel)"
            what
            expected
            actual
            accuracy.Absolute
            accuracy.Relative
