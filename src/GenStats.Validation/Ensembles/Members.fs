/// The member files of an ensemble folder: DIR/members/member-NNNN.gsm (the model) and
/// member-NNNN.json (written last, atomically: its presence means the member is done), and what
/// is done or still to train.
module GenStats.Validation.Ensembles.Members

open System
open System.IO
open System.Text.Json
open System.Text.Json.Nodes
open GenStats.Numerics
open GenStats.Validation.Ensembles.Manifest

/// What a finished member wrote besides its model.
type Record =
    {
        Index: int
        /// The seed its model was trained with (`Propagation.memberSeed`).
        Seed: int
        /// The model file, an absolute path.
        Model: string
        /// Training events and the sum of the replica weights (Σ training weight × Poisson count).
        Events: int
        WeightSum: float
        /// Wall time of the training, seconds.
        Seconds: float
        Host: string
        /// `Manifest.fingerprint` of the ensemble it belongs to.
        Manifest: string
    }

/// DIR/members.
let folder (dir: string) = Path.Combine(dir, "members")

let private stem (index: int) = sprintf "member-%04d" index

/// The model file of member index.
let modelPath (dir: string) (index: int) =
    Path.Combine(folder dir, stem index + ".gsm")

/// The JSON of member index (present only when the member finished).
let recordPath (dir: string) (index: int) =
    Path.Combine(folder dir, stem index + ".json")

/// The log file a runner sends member index's output to.
let logPath (dir: string) (index: int) =
    Path.Combine(dir, "logs", stem index + ".log")

/// Checks index against the manifest's K.
let checkIndex (m: Manifest) (index: int) =
    if index < 0 || index >= m.Members then
        invalidArg
            "index"
            (sprintf "member index %d is outside 0 … %d (the ensemble has %d members)." index (m.Members - 1) m.Members)

/// Writes the member's JSON atomically (after its model file: the JSON marks the member done).
let write (dir: string) (r: Record) =
    let o = JsonObject()
    o["index"] <- JsonValue.Create r.Index
    o["seed"] <- JsonValue.Create r.Seed
    o["model"] <- JsonValue.Create r.Model
    o["events"] <- JsonValue.Create r.Events
    o["weightSum"] <- JsonValue.Create r.WeightSum
    o["seconds"] <- JsonValue.Create r.Seconds
    o["host"] <- JsonValue.Create r.Host
    o["manifest"] <- JsonValue.Create r.Manifest
    AtomicFile.WriteText(recordPath dir r.Index, o.ToJsonString(JsonSerializerOptions(WriteIndented = true)))

/// Member index's record, or None while it is not done. A record of another ensemble (another
/// manifest fingerprint) or whose model file is missing is an error: it needs a look, not a retrain.
let tryRead (dir: string) (m: Manifest) (index: int) =
    let file = recordPath dir index

    if not (File.Exists file) then
        None
    else
        let o =
            try
                JsonNode.Parse(File.ReadAllText file).AsObject()
            with e ->
                raise (
                    InvalidDataException(
                        sprintf "%s is not valid JSON (%s); delete it to retrain the member." file e.Message,
                        e
                    )
                )

        let get (name: string) : 'a =
            match o[name] with
            | null ->
                raise (
                    InvalidDataException(sprintf "%s has no \"%s\" field; delete it to retrain the member." file name)
                )
            | n -> n.GetValue<'a>()

        let r =
            {
                Index = get "index"
                Seed = get "seed"
                Model = get "model"
                Events = get "events"
                WeightSum = get "weightSum"
                Seconds = get "seconds"
                Host = get "host"
                Manifest = get "manifest"
            }

        if r.Manifest <> fingerprint m || r.Index <> index then
            raise (
                InvalidDataException(
                    sprintf
                        "%s belongs to another ensemble (manifest %s, this one %s); delete it to retrain the member."
                        file
                        r.Manifest
                        (fingerprint m)
                )
            )

        if not (File.Exists r.Model) then
            raise (
                InvalidDataException(
                    sprintf
                        "%s names the model %s, which is missing; delete the JSON to retrain the member."
                        file
                        r.Model
                )
            )

        Some r

/// The finished members' records, in index order.
let finished (dir: string) (m: Manifest) =
    [
        for i in 0 .. m.Members - 1 do
            match tryRead dir m i with
            | Some r -> yield r
            | None -> ()
    ]

/// The indices of the members still to train, in order.
let pending (dir: string) (m: Manifest) =
    [
        for i in 0 .. m.Members - 1 do
            if (tryRead dir m i).IsNone then
                yield i
    ]

/// Deletes temporary files a killed member left beside its files (AtomicFile's `.NAME.*.tmp`);
/// the member files themselves are only ever renamed into place, never half-written.
let cleanStale (dir: string) (index: int) =
    let f = folder dir

    if Directory.Exists f then
        for t in Directory.GetFiles(f, sprintf ".%s.*.tmp" (stem index)) do
            File.Delete t

/// The member's K indices as a Slurm array specification, e.g. [0; 1; 2; 5] → "0-2,5".
let arraySpec (indices: int list) =
    let rec runs acc =
        function
        | [] -> List.rev acc
        | x :: rest ->
            let rec extend last =
                function
                | y :: more when y = last + 1 -> extend y more
                | more -> last, more

            let last, more = extend x rest
            runs ((if last = x then string x else sprintf "%d-%d" x last) :: acc) more

    if List.isEmpty indices then
        invalidArg "indices" "no member index; an array needs at least one."

    indices |> List.sort |> List.distinct |> runs [] |> String.concat ","
