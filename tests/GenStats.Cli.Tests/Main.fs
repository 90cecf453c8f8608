module GenStats.Tests.Main

[<EntryPoint>]
let main argv = GenStats.Tests.TestMain.run argv
