/// The ensemble manifest: everything a member needs to train, written once as DIR/manifest.json, so
/// that every runner (local processes, a Slurm array, an HTCondor cluster) starts each member with
/// the same short command line `genstats ensemble member --out DIR --index i`.
module GenStats.Validation.Ensembles.Manifest

open System
open System.IO
open System.Text.Json
open System.Text.Json.Nodes
open GenStats.Numerics

/// What the K members train: the `genstats train` arguments, the ensemble size and its seed.
type Manifest =
    {
        /// Training table (CSV), an absolute path (members may run on other hosts of a shared filesystem).
        Data: string
        Features: string list
        Conditions: string list
        /// Per-event weight column; each member multiplies it by its Poisson(1) replica counts.
        Weight: string option
        /// A `genstats train --model` name (kde, library, histogram, cramer, wgan-gp, vae, …).
        Model: string
        /// The JSON text of the model's options (`--config`), kept in the manifest so that a later
        /// edit of the config file cannot change members still to be trained.
        Config: string option
        /// `--transform` of a neural model.
        Transform: string option
        /// `--steps` of a neural model.
        Steps: int option
        /// `--aux` of a GAN: an observable expression whose distribution enters the generator loss.
        Aux: string option
        /// `--aux-weight` (None: the default weight).
        AuxWeight: float option
        /// `--aux-distance`: mmd or energy (None: mmd).
        AuxDistance: string option
        /// K, the number of members (≥ 2).
        Members: int
        /// The ensemble seed: member k trains with `Propagation.memberSeed Seed k` on the replica
        /// `Propagation.replicaWeights Seed k`.
        Seed: int
    }

/// DIR/manifest.json.
let path (dir: string) = Path.Combine(dir, "manifest.json")

/// Checks the fields a member cannot do without (clear errors naming the field).
let validate (m: Manifest) =
    if String.IsNullOrWhiteSpace m.Data then
        invalidArg "Data" "the training table is empty; give a CSV file (--data)."

    if List.isEmpty m.Features then
        invalidArg "Features" "no feature column; give at least one (--features)."

    if String.IsNullOrWhiteSpace m.Model then
        invalidArg "Model" "no model; give a genstats train model name (--model)."

    if m.Members < 2 then
        invalidArg "Members" (sprintf "members is %d; an ensemble needs at least two." m.Members)

    match m.Steps with
    | Some s when s <= 0 -> invalidArg "Steps" (sprintf "steps is %d; give a positive number." s)
    | _ -> ()

    m

let private strings (xs: string list) =
    JsonArray(xs |> List.map (fun s -> JsonValue.Create s :> JsonNode) |> List.toArray)

/// The manifest as indented JSON (the file's content).
let toJson (m: Manifest) =
    let o = JsonObject()
    o["format"] <- JsonValue.Create "genstats-ensemble/1"
    o["data"] <- JsonValue.Create m.Data
    o["features"] <- strings m.Features
    o["conditions"] <- strings m.Conditions
    o["weight"] <- (m.Weight |> Option.map (fun w -> JsonValue.Create w :> JsonNode) |> Option.toObj)
    o["model"] <- JsonValue.Create m.Model
    o["config"] <- (m.Config |> Option.map JsonNode.Parse |> Option.toObj)

    o["transform"] <-
        (m.Transform
         |> Option.map (fun t -> JsonValue.Create t :> JsonNode)
         |> Option.toObj)

    o["steps"] <- (m.Steps |> Option.map (fun s -> JsonValue.Create s :> JsonNode) |> Option.toObj)
    o["aux"] <- (m.Aux |> Option.map (fun a -> JsonValue.Create a :> JsonNode) |> Option.toObj)

    o["auxWeight"] <-
        (m.AuxWeight
         |> Option.map (fun w -> JsonValue.Create w :> JsonNode)
         |> Option.toObj)

    o["auxDistance"] <-
        (m.AuxDistance
         |> Option.map (fun d -> JsonValue.Create d :> JsonNode)
         |> Option.toObj)

    o["members"] <- JsonValue.Create m.Members
    o["seed"] <- JsonValue.Create m.Seed
    o.ToJsonString(JsonSerializerOptions(WriteIndented = true))

/// Parses a manifest (errors name the file and the missing or malformed field).
let ofJson (source: string) (text: string) =
    let root =
        try
            JsonNode.Parse(text).AsObject()
        with e ->
            raise (InvalidDataException(sprintf "%s is not a JSON object: %s" source e.Message, e))

    let field (name: string) : JsonNode =
        match root[name] with
        | null -> raise (InvalidDataException(sprintf "%s has no \"%s\" field." source name))
        | n -> n

    let optional (name: string) (read: JsonNode -> 'a) =
        match root[name] with
        | null -> None
        | n -> Some(read n)

    let format = (field "format").GetValue<string>()

    if format <> "genstats-ensemble/1" then
        raise (
            InvalidDataException(sprintf "%s has format '%s'; this genstats reads genstats-ensemble/1." source format)
        )

    let list (name: string) =
        (field name).AsArray() |> Seq.map (fun n -> n.GetValue<string>()) |> List.ofSeq

    {
        Data = (field "data").GetValue<string>()
        Features = list "features"
        Conditions = list "conditions"
        Weight = optional "weight" (fun n -> n.GetValue<string>())
        Model = (field "model").GetValue<string>()
        Config = optional "config" (fun n -> n.ToJsonString())
        Transform = optional "transform" (fun n -> n.GetValue<string>())
        Steps = optional "steps" (fun n -> n.GetValue<int>())
        Aux = optional "aux" (fun n -> n.GetValue<string>())
        AuxWeight = optional "auxWeight" (fun n -> n.GetValue<float>())
        AuxDistance = optional "auxDistance" (fun n -> n.GetValue<string>())
        Members = (field "members").GetValue<int>()
        Seed = (field "seed").GetValue<int>()
    }
    |> validate

/// Reads DIR/manifest.json (an error says how to create one when it is missing).
let read (dir: string) =
    let file = path dir

    if not (File.Exists file) then
        raise (
            FileNotFoundException(
                sprintf
                    "%s has no manifest.json; create the ensemble first with genstats ensemble --data … --model … --members K --out %s."
                    dir
                    dir,
                file
            )
        )

    ofJson file (File.ReadAllText file)

/// Writes DIR/manifest.json (atomically) when there is none; when there is one, it must describe
/// the same ensemble — members of two different ensembles never mix in one folder.
let create (dir: string) (m: Manifest) =
    let m =
        validate
            { m with
                Data = Path.GetFullPath m.Data
                Config = m.Config |> Option.map (fun c -> JsonNode.Parse(c).ToJsonString())
            }

    let file = path dir

    if File.Exists file then
        let existing = read dir

        if existing <> m then
            invalidArg
                "dir"
                (sprintf
                    "%s already holds another ensemble (its manifest.json differs: %s); use a new --out folder, or give only --out %s to continue that ensemble."
                    dir
                    (if existing.Data <> m.Data then "data"
                     elif existing.Model <> m.Model then "model"
                     elif existing.Members <> m.Members then "members"
                     elif existing.Seed <> m.Seed then "seed"
                     else "columns or options")
                    dir)
    else
        Directory.CreateDirectory dir |> ignore
        AtomicFile.WriteText(file, toJson m)

    m

/// A short fingerprint of the manifest (SHA-256 of its JSON, 16 hex digits), recorded in every
/// member's JSON so that a member file of another ensemble is recognised.
let fingerprint (m: Manifest) =
    let bytes = Text.Encoding.UTF8.GetBytes(toJson m)
    Convert.ToHexString(Security.Cryptography.SHA256.HashData bytes).Substring(0, 16).ToLowerInvariant()
