/// What every Expecto test project shares: the FsCheck settings, the `slow` category and the entry
/// point. Test projects are Expecto console apps (no `dotnet test` adapter for Expecto is served);
/// `scripts/test.sh` runs them and counts from their JUnit summaries.
module GenStats.Tests.TestMain

open Expecto

/// The replay seed of every property: each run draws the same cases, so a failure reproduces.
let replaySeed = (20261124UL, 1013904223UL)

/// FsCheck settings for a property that checks `maxTest` cases, drawn from the fixed replay seed.
let propertyConfig (maxTest: int) =
    { FsCheckConfig.defaultConfig with
        maxTest = maxTest
        replay = Some(fst replaySeed, snd replaySeed, None)
    }

/// A property checked on `maxTest` cases drawn from the fixed replay seed.
let testPropertyN (maxTest: int) (name: string) property =
    testPropertyWithConfig (propertyConfig maxTest) name property

/// The name of the category of slow tests (GAN training, Chromium, scripts run through fsi).
[<Literal>]
let SlowCategory = "slow"

/// Puts tests into the slow category: `scripts/test.sh --fast` leaves them out; CI runs them.
let slow (tests: Test list) = testList SlowCategory tests

/// True when a test's full name (its list names and its own) lies in the slow category.
let isSlow (path: string list) = List.contains SlowCategory path

/// The entry point: runs the `[<Tests>]` values of this assembly one after another (the engine
/// has process-wide state such as the backend and its worker pool). `--fast` drops the slow
/// category; every other argument is Expecto's (`--junit-summary FILE`, `--filter NAME`, …).
let run (argv: string[]) =
    let fast = Array.contains "--fast" argv
    let expectoArgs = argv |> Array.filter (fun a -> a <> "--fast")
    let all = Impl.testFromThisAssembly () |> Option.defaultValue (testList "empty" [])
    let chosen = if fast then all |> Test.filter "." (isSlow >> not) else all
    runTestsWithCLIArgs [ CLIArguments.Sequenced ] expectoArgs chosen
