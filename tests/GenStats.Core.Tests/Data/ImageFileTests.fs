module GenStats.Tests.Data.ImageFileTests

open Expecto
open System
open System.Diagnostics
open System.IO
open GenStats.Data.Images
open GenStats.Tests.Expectations

let private tempFile (extension: string) =
    Path.Combine(Path.GetTempPath(), $"genstats-images-{Guid.NewGuid():N}{extension}")

let private fixture (name: string) =
    GenStats.Tests.Repository.file [ "data"; "images"; name ]

/// 5 events of 3 × 4 cells with values that exercise float32 (tiny, negative, large), two
/// conditions and signed weights.
let private sample (weighted: bool) =
    let n, h, w = 5, 3, 4

    let images =
        Array.init (n * h * w) (fun k -> float32 (Math.Sin(float k) * 10.0 ** float (k % 7 - 3)))

    let conditions = Array.init (n * 2) (fun k -> float32 k * 0.1f - 0.3f)
    let weights = if weighted then [| 1.0; -0.25; 2.0; 0.5; 1e-3 |] else null
    ImageDataset.Create(images, n, h, w, conditions, [| "px"; "x" |], weights)

let private expectSame (a: ImageDataset) (b: ImageDataset) =
    Expect.equal (b.Count, b.Height, b.Width) (a.Count, a.Height, a.Width) "shape"
    Expect.equal b.Images a.Images "every cell bit for bit"
    Expect.equal b.Conditions a.Conditions "every condition"
    Expect.sequenceEqual b.ConditionNames a.ConditionNames "condition names"
    Expect.equal b.Weights a.Weights "weights"

let private roundTrip (extension: string) (weighted: bool) () =
    let path = tempFile extension

    try
        let d = sample weighted
        ImageFile.Write(path, d)
        expectSame d (ImageFile.Read path)
    finally
        File.Delete path

let ``a CaloGAN file written by h5py reads as its formulas say`` () =
    // The values are the formulas of data/images/make_fixtures.py (layers chunked + gzip).
    let s = ImageFile.ReadCaloGan(fixture "calogan-small.h5")
    Expect.equal s.Count 4 "events"
    Expect.equal s.Energy [| 10.0f; 20.0f; 30.0f; 40.0f |] "energy[i] = 10 (i + 1)"

    Expect.equal [ for l in s.Layers -> l.Height, l.Width ] [ 3, 96; 12, 12; 12, 6 ] "CaloGAN's layer shapes"

    for i in 0..3 do
        for r in 0..2 do
            for c in 0..95 do
                Expect.equal
                    (s.Layers[0].Cell(i, r, c))
                    (float32 (float i + float r / 10.0 + float c / 1000.0))
                    "layer_0 = i + r/10 + c/1000"

        for r in 0..11 do
            for c in 0..11 do
                Expect.equal
                    (s.Layers[1].Cell(i, r, c))
                    (float32 (100.0 * float i + float r + float c / 100.0))
                    "layer_1 = 100 i + r + c/100"

            for c in 0..5 do
                Expect.equal (s.Layers[2].Cell(i, r, c)) (float32 -(i + r + c)) "layer_2 = −(i + r + c)"

        for k in 0..2 do
            Expect.equal s.Overflow[i * 3 + k] (float32 (float i + float k / 10.0)) "overflow = i + k/10"

    for l in s.Layers do
        Expect.sequenceEqual l.ConditionNames [ "energy" ] "each layer is conditioned on the energy"
        Expect.equal l.Conditions s.Energy "the energies are the condition"

let ``a CaloGAN layer is chosen by number, and a file with several needs one`` () =
    let path = fixture "calogan-small.h5"
    Expect.isTrue (ImageFile.IsCaloGan path) "the layout is recognised"
    let layer1 = ImageFile.Read(path, ImageReadOptions(CaloGanLayer = 1))
    Expect.equal (layer1.Height, layer1.Width) (12, 12) "layer_1 is 12 × 12"
    Expect.equal (layer1.Cell(3, 2, 5)) (float32 (300.0 + 2.0 + 0.05)) "layer_1[3, 2, 5] = 302.05"

    let e =
        raises<ArgumentException> "no layer chosen" (fun () -> ImageFile.Read path |> ignore)

    contains "3 layers" e.Message "the number of layers is given"
    contains "layer_2 12 × 6" e.Message "the layer shapes are listed"

    raises<ArgumentOutOfRangeException> "layer 3" (fun () ->
        ImageFile.Read(path, ImageReadOptions(CaloGanLayer = 3)) |> ignore)
    |> ignore

let ``a simple-layout file written by h5py reads as its formulas say`` () =
    // float64 images (rounded to float32), variable-length string names, signed float64 weights.
    let d = ImageFile.Read(fixture "simple-h5py.h5")
    Expect.equal (d.Count, d.Height, d.Width) (3, 2, 3) "shape"
    Expect.sequenceEqual d.ConditionNames [ "px"; "pz" ] "names from the attribute"

    for i in 0..2 do
        for r in 0..1 do
            for c in 0..2 do
                Expect.equal (d.Cell(i, r, c)) (float32 (float i + float r / 2.0 + float c / 4.0)) "i + r/2 + c/4"

    Expect.equal d.Conditions [| 0.0f; 0.0f; 1.0f; -1.0f; 2.0f; -2.0f |] "conditions (i, −i)"
    Expect.equal d.Weights [| 1.5; -0.5; 2.0 |] "weights"

let ``a CaloGAN sample written by GenStats reads back identical`` () =
    let s0 = ImageFile.ReadCaloGan(fixture "calogan-small.h5")
    let path = tempFile ".h5"

    try
        ImageFile.WriteCaloGan(path, s0)
        let s = ImageFile.ReadCaloGan path
        Expect.equal s.Energy s0.Energy "energy"
        Expect.equal s.Overflow s0.Overflow "overflow"

        for k in 0..2 do
            Expect.equal s.Layers[k].Images s0.Layers[k].Images $"layer_{k}"
    finally
        File.Delete path

/// Runs /usr/bin/python3 with a script; h5py comes from Debian's python3-h5py (scripts/test.sh installs it).
let private python (script: string) =
    if not (File.Exists "/usr/bin/python3") then
        failtest "/usr/bin/python3 is missing; scripts/test.sh installs python3-h5py (needs root and apt-get)"

    let info = ProcessStartInfo("/usr/bin/python3", [ "-c"; script ])
    info.RedirectStandardOutput <- true
    info.RedirectStandardError <- true
    use p = Process.Start info
    let out = p.StandardOutput.ReadToEnd()
    let err = p.StandardError.ReadToEnd()
    p.WaitForExit()

    if err.Contains "No module named 'h5py'" then
        failtest "h5py is missing: apt-get install python3-h5py (scripts/test.sh does it when it runs as root)"

    Expect.equal p.ExitCode 0 $"python3 failed:\n{err}"
    out.Trim()

let ``h5py reads what GenStats writes`` () =
    let d = sample true
    let path = tempFile ".h5"

    try
        ImageFile.Write(path, d)
        // numpy recomputes the same formulas as `sample` and compares them with what it reads.
        let script =
            $"""
import h5py, numpy as np
f = h5py.File('{path}', 'r')
k = np.arange(5 * 3 * 4)
images = (np.sin(k) * 10.0 ** (k %% 7 - 3)).astype(np.float32).reshape(5, 3, 4)
assert f['images'].dtype == np.float32 and f['images'].shape == (5, 3, 4), (f['images'].dtype, f['images'].shape)
assert np.array_equal(f['images'][()], images)
conditions = (np.arange(10, dtype=np.float32) * np.float32(0.1) - np.float32(0.3)).reshape(5, 2)
assert np.array_equal(f['conditions'][()], conditions)
names = [n.decode() if isinstance(n, bytes) else n for n in f['conditions'].attrs['names']]
assert names == ['px', 'x'], names
assert np.array_equal(f['weights'][()], [1.0, -0.25, 2.0, 0.5, 1e-3])
print('ok')
"""

        Expect.equal (python (script.Replace("%%", "%"))) "ok" "h5py's checks"
    finally
        File.Delete path

let ``a non-finite cell is refused with its event and cell`` () =
    let images = Array.create (2 * 3 * 4) 1.0f
    images[1 * 12 + 2 * 4 + 3] <- nanf

    let e =
        raises<ArgumentException> "NaN cell" (fun () ->
            ImageDataset.Create(images, 2, 3, 4, [| 0.0f; 1.0f |], [| "E" |]) |> ignore)

    contains "Event 1, cell (row 2, column 3)" e.Message "the event and cell are named"

let ``shape mismatches are refused with both sizes`` () =
    let e =
        raises<ArgumentException> "too few cells" (fun () ->
            ImageDataset.Create(Array.zeroCreate 23, 2, 3, 4, [| 0.0f; 1.0f |], [| "E" |])
            |> ignore)

    contains "23 values" e.Message "what was given"
    contains "need 24" e.Message "what is needed"

    let e2 =
        raises<ArgumentException> "conditions of the wrong length" (fun () ->
            ImageDataset.Create(Array.zeroCreate 24, 2, 3, 4, [| 0.0f; 1.0f; 2.0f |], [| "E" |])
            |> ignore)

    contains "2 events × 1 named conditions need 2" e2.Message "conditions shape"

    let e3 =
        raises<ArgumentException> "infinite weight" (fun () ->
            ImageDataset.Create(Array.zeroCreate 24, 2, 3, 4, [| 0.0f; 1.0f |], [| "E" |], [| 1.0; infinity |])
            |> ignore)

    contains "event 1" e3.Message "the event of the weight"

let ``a file without conditions or their names is refused naming what is missing`` () =
    let path = tempFile ".h5"

    try
        let noConditions = PureHDF.H5File()
        noConditions["images"] <- PureHDF.H5Dataset(Array.zeroCreate<float32> 12, fileDims = [| 1UL; 3UL; 4UL |])
        noConditions.Write path

        let e =
            raises<InvalidDataException> "no conditions" (fun () -> ImageFile.Read path |> ignore)

        contains "no dataset 'conditions'" e.Message "the missing dataset is named"
        contains "the file holds: images" e.Message "what the file holds is listed"

        let noNames = PureHDF.H5File()
        noNames["images"] <- PureHDF.H5Dataset(Array.zeroCreate<float32> 12, fileDims = [| 1UL; 3UL; 4UL |])
        noNames["conditions"] <- PureHDF.H5Dataset([| 1.0f; 2.0f |], fileDims = [| 1UL; 2UL |])
        noNames.Write path

        let e2 =
            raises<InvalidDataException> "no names" (fun () -> ImageFile.Read path |> ignore)

        contains "no attribute 'names'" e2.Message "the missing attribute is named"
    finally
        File.Delete path

let ``a CSV with a gap in its cell grid is refused naming the missing cell`` () =
    let path = tempFile ".csv"

    try
        File.WriteAllText(path, "E,cell_0_0,cell_0_1,cell_1_1\n1,2,3,4\n")
        let e = raises<InvalidDataException> "gap" (fun () -> ImageFile.Read path |> ignore)
        contains "cell_1_0" e.Message "the missing cell is named"
        File.WriteAllText(path, "E,cell_0_0,cell_0_1,cell_1_0,cell_1_1\n1,2,3,4,5\n")
        let d = ImageFile.Read path
        Expect.equal d.Images [| 2.0f; 3.0f; 4.0f; 5.0f |] "row-major cells"
        Expect.sequenceEqual d.ConditionNames [ "E" ] "the other column is a condition"
    finally
        File.Delete path

let ``an unknown extension is refused`` () =
    let e =
        raises<ArgumentException> ".npy" (fun () -> ImageFile.Read "x.npy" |> ignore)

    contains ".h5, .hdf5" e.Message "the allowed extensions are listed"

[<Tests>]
let tests =
    testList
        "Data.Images"
        [
            testCase "HDF5 simple layout: write then read is identical (weighted)" (roundTrip ".h5" true)
            testCase "HDF5 simple layout: write then read is identical (unweighted)" (roundTrip ".hdf5" false)
            testCase "CSV cell_r_c: write then read is identical" (roundTrip ".csv" true)
            testCase
                "a CaloGAN file written by h5py reads as its formulas say"
                ``a CaloGAN file written by h5py reads as its formulas say``
            testCase
                "a CaloGAN layer is chosen by number, and a file with several needs one"
                ``a CaloGAN layer is chosen by number, and a file with several needs one``
            testCase
                "a simple-layout file written by h5py reads as its formulas say"
                ``a simple-layout file written by h5py reads as its formulas say``
            testCase
                "a CaloGAN sample written by GenStats reads back identical"
                ``a CaloGAN sample written by GenStats reads back identical``
            testCase "h5py reads what GenStats writes" ``h5py reads what GenStats writes``
            testCase
                "a non-finite cell is refused with its event and cell"
                ``a non-finite cell is refused with its event and cell``
            testCase "shape mismatches are refused with both sizes" ``shape mismatches are refused with both sizes``
            testCase
                "a file without conditions or their names is refused naming what is missing"
                ``a file without conditions or their names is refused naming what is missing``
            testCase
                "a CSV with a gap in its cell grid is refused naming the missing cell"
                ``a CSV with a gap in its cell grid is refused naming the missing cell``
            testCase "an unknown extension is refused" ``an unknown extension is refused``
        ]
