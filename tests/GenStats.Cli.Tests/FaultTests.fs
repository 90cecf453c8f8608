/// Faults: signals during a run. (Placeholder filled below.)
module GenStats.Tests.Cli.FaultTests
