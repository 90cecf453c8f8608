// Loads the built GenStats assemblies into an F# script: `#load "GenStats.fsx"` at the top of
// any validation script. scripts/validate.sh builds them first (Release).
#I "../src/GenStats.Validation/bin/Release/net10.0"
#r "MathNet.Numerics.dll"
#r "GenStats.Core.dll"
#r "GenStats.Validation.dll"
