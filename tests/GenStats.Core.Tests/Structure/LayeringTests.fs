/// The namespaces of GenStats.Core form layers without cycles: every reference from one layer to
/// another must be listed in the allowed-dependency table below (docs/architecture.md). The check
/// reads GenStats.Core.dll with Mono.Cecil: every type (nested and compiler-generated ones included),
/// its base type, interfaces, generic constraints, attributes, fields, properties, events, method
/// signatures, locals, exception handlers and the type/member references in method bodies.
module GenStats.Tests.Structure.LayeringTests

open System
open Mono.Cecil
open Mono.Cecil.Cil
open Expecto

/// The layer of a namespace: GenStats.X and GenStats.X.… belong to layer X; other namespaces
/// (System, MathNet, the compiler's empty namespace) are not layers.
let layerOf (ns: string) =
    if ns.StartsWith("GenStats.", StringComparison.Ordinal) then
        Some(ns.Split('.')[1])
    else
        None

/// Layer → the other layers it may use. Numerics is the bottom (helpers several concerns need);
/// Data sits below Stats and Models; Physics uses Numerics and Data (and only Stats' public fitting
/// API, for the sPlot calibration); Models reads observable expressions (public API only) for the
/// GAN's auxiliary statistic; the metric catalog behind `compare` (GenStats.Comparison) sits
/// above Stats.
let allowed: Map<string, Set<string>> =
    Map
        [
            "Numerics", set []
            "Tensors", set [ "Numerics" ]
            "Nn", set [ "Numerics"; "Tensors" ]
            "Data", set [ "Numerics" ]
            "Stats", set [ "Numerics"; "Data" ]
            "Observables", set [ "Numerics"; "Tensors"; "Data" ]
            "Physics", set [ "Numerics"; "Data"; "Stats"; "Observables" ]
            "Models", set [ "Numerics"; "Tensors"; "Nn"; "Data"; "Stats"; "Observables" ]
            "Comparison", set [ "Numerics"; "Data"; "Stats" ]
        ]

/// Allowed edges that may only use public types and members of the lower layer (no internals).
let publicOnly: Set<string * string> =
    set
        [
            "Physics", "Stats"
            "Physics", "Observables"
            "Models", "Stats"
            "Models", "Observables"
        ]

/// One reference that crosses layers: the referencing type, what it references and where.
type Reference =
    {
        From: string
        FromLayer: string
        To: string
        ToLayer: string
        Site: string
        Public: bool
    }

let rec private outermost (t: TypeReference) =
    if isNull t.DeclaringType then
        t
    else
        outermost t.DeclaringType

let rec private isPublicType (t: TypeDefinition) =
    if isNull t.DeclaringType then
        t.IsPublic
    else
        t.IsNestedPublic && isPublicType t.DeclaringType

/// Every GenStats.Core-side reference of one type definition (not its nested types), as
/// (referenced type, referenced member or null, site).
let private referencesOf (t: TypeDefinition) : seq<TypeReference * MemberReference * string> =
    seq {
        let rec typeRefs (r: TypeReference) : seq<TypeReference> =
            seq {
                match r with
                | null -> ()
                | :? GenericParameter -> ()
                | :? GenericInstanceType as g ->
                    yield! typeRefs g.ElementType

                    for a in g.GenericArguments do
                        yield! typeRefs a
                | :? FunctionPointerType as f ->
                    yield! typeRefs f.ReturnType

                    for p in f.Parameters do
                        yield! typeRefs p.ParameterType
                | :? TypeSpecification as s -> yield! typeRefs s.ElementType
                | r -> yield r
            }

        let ty site (r: TypeReference) =
            typeRefs r |> Seq.map (fun x -> x, (null: MemberReference), site)

        let attrs site (provider: ICustomAttributeProvider) =
            if provider.HasCustomAttributes then
                provider.CustomAttributes |> Seq.collect (fun a -> ty site a.AttributeType)
            else
                Seq.empty

        let constraints site (provider: IGenericParameterProvider) =
            if provider.HasGenericParameters then
                provider.GenericParameters
                |> Seq.collect (fun g -> g.Constraints |> Seq.collect (fun c -> ty site c.ConstraintType))
            else
                Seq.empty

        let rec memberRefs site (m: MemberReference) : seq<TypeReference * MemberReference * string> =
            seq {
                match m with
                | :? MethodReference as mr ->
                    for x in typeRefs mr.DeclaringType do
                        yield x, (mr :> MemberReference), site

                    yield! ty site mr.ReturnType

                    for p in mr.Parameters do
                        yield! ty site p.ParameterType

                    match mr with
                    | :? GenericInstanceMethod as gm ->
                        for a in gm.GenericArguments do
                            yield! ty site a
                    | _ -> ()
                | :? FieldReference as fr ->
                    for x in typeRefs fr.DeclaringType do
                        yield x, (fr :> MemberReference), site

                    yield! ty site fr.FieldType
                | _ -> ()
            }

        yield! ty "base type" t.BaseType

        for i in t.Interfaces do
            yield! ty "interface" i.InterfaceType

        yield! attrs "attribute" t
        yield! constraints "generic constraint" t

        for f in t.Fields do
            yield! ty $"field {f.Name}" f.FieldType
            yield! attrs $"field {f.Name}" f

        for p in t.Properties do
            yield! ty $"property {p.Name}" p.PropertyType

        for e in t.Events do
            yield! ty $"event {e.Name}" e.EventType

        for m in t.Methods do
            let site = $"method {m.Name}"
            yield! ty $"{site} signature" m.ReturnType

            for p in m.Parameters do
                yield! ty $"{site} signature" p.ParameterType

            yield! constraints $"{site} signature" m
            yield! attrs $"{site} attribute" m

            if m.HasBody then
                let body = $"{site} body"

                for v in m.Body.Variables do
                    yield! ty body v.VariableType

                for h in m.Body.ExceptionHandlers do
                    yield! ty body h.CatchType

                for ins in m.Body.Instructions do
                    match ins.Operand with
                    | :? TypeReference as r -> yield! ty body r
                    | :? MemberReference as r -> yield! memberRefs body r
                    | :? CallSite as c ->
                        yield! ty body c.ReturnType

                        for p in c.Parameters do
                            yield! ty body p.ParameterType
                    | _ -> ()
    }

/// Every type of the module, nested and compiler-generated ones included.
let rec private allTypes (types: seq<TypeDefinition>) : seq<TypeDefinition> =
    seq {
        for t in types do
            yield t

            if t.HasNestedTypes then
                yield! allTypes t.NestedTypes
    }

/// Every reference of the module from one layer to another.
let crossLayerReferences (m: ModuleDefinition) : Reference list =
    [
        for t in allTypes m.Types do
            match layerOf (outermost t).Namespace with
            | None -> ()
            | Some fromLayer ->
                for target, mem, site in referencesOf t do
                    match layerOf (outermost target).Namespace with
                    | Some toLayer when toLayer <> fromLayer ->
                        let isPublic =
                            let td =
                                try
                                    target.Resolve()
                                with _ ->
                                    null

                            let typePublic = not (isNull td) && isPublicType td

                            let memberPublic =
                                match mem with
                                | :? MethodReference as mr ->
                                    let md =
                                        try
                                            mr.Resolve()
                                        with _ ->
                                            null

                                    not (isNull md) && md.IsPublic
                                | :? FieldReference as fr ->
                                    let fd =
                                        try
                                            fr.Resolve()
                                        with _ ->
                                            null

                                    not (isNull fd) && fd.IsPublic
                                | _ -> true

                            typePublic && memberPublic

                        yield
                            {
                                From = t.FullName
                                FromLayer = fromLayer
                                To = (if isNull mem then target.FullName else mem.FullName)
                                ToLayer = toLayer
                                Site = site
                                Public = isPublic
                            }
                    | _ -> ()
    ]

/// The references the table forbids, one line each naming the type, the reference and its site.
let violations (table: Map<string, Set<string>>) (publicOnlyEdges: Set<string * string>) (refs: Reference list) =
    refs
    |> List.choose (fun r ->
        match Map.tryFind r.FromLayer table with
        | None -> Some $"{r.From}: namespace layer '{r.FromLayer}' is not in the allowed-dependency table"
        | Some uses when not (uses.Contains r.ToLayer) ->
            Some
                $"{r.From} ({r.FromLayer}) uses {r.To} ({r.ToLayer}) in its {r.Site}: {r.FromLayer} may not use {r.ToLayer}"
        | Some _ when publicOnlyEdges.Contains(r.FromLayer, r.ToLayer) && not r.Public ->
            Some
                $"{r.From} ({r.FromLayer}) uses the internal {r.To} ({r.ToLayer}) in its {r.Site}: {r.FromLayer} may use only the public API of {r.ToLayer}"
        | Some _ -> None)
    |> List.distinct

let private coreModule =
    lazy
        (let path = typeof<GenStats.Tensors.Tensor>.Assembly.Location
         ModuleDefinition.ReadModule(path))

let private references = lazy (crossLayerReferences coreModule.Value)

[<Tests>]
let tests =
    testList
        "Structure.Layering"
        [
            test "every namespace uses only the layers the table allows" {
                let bad = violations allowed publicOnly references.Value

                if not bad.IsEmpty then
                    failtestf "%d forbidden references:\n%s" bad.Length (String.Join("\n", bad |> List.truncate 50))
            }

            test "every GenStats.Core namespace is in the table" {
                let layers =
                    allTypes coreModule.Value.Types
                    |> Seq.choose (fun t -> layerOf (outermost t).Namespace)
                    |> Set.ofSeq

                Expect.isEmpty
                    (Set.difference layers (allowed |> Map.keys |> Set.ofSeq))
                    "layers missing from the table"
            }

            test "the allowed-dependency table has no cycle" {
                let rec reaches (seen: Set<string>) (from: string) (target: string) =
                    allowed
                    |> Map.tryFind from
                    |> Option.defaultValue Set.empty
                    |> Set.exists (fun next ->
                        next = target
                        || (not (seen.Contains next) && reaches (seen.Add next) next target))

                for layer in allowed |> Map.keys do
                    Expect.isFalse (reaches Set.empty layer layer) $"layer {layer} reaches itself"
            }

            test "negative control: a forbidden edge is reported with the type and the reference" {
                // Data does use Numerics (the transforms' weighted statistics); forbid it and the
                // detector must name the transform and the Numerics member it calls.
                let table = allowed |> Map.add "Data" Set.empty
                let bad = violations table publicOnly references.Value

                Expect.exists
                    bad
                    (fun l ->
                        l.StartsWith("GenStats.Data.StandardTransform (Data) uses", StringComparison.Ordinal)
                        && l.Contains("GenStats.Numerics.WeightedStatistics"))
                    "StandardTransform → WeightedStatistics reported"

                Expect.isTrue
                    (bad |> List.forall (fun l -> l.Contains "(Data) uses"))
                    "only Data's references are reported"
            }

            test "negative control: references inside compiler-generated and nested types are seen" {
                // The GAN trainer's lambdas live in compiler-generated nested classes.
                let table =
                    allowed |> Map.add "Models" (set [ "Numerics"; "Data"; "Stats"; "Tensors" ])

                let bad = violations table publicOnly references.Value

                Expect.exists
                    bad
                    (fun l -> l.StartsWith("GenStats.Models.") && l.Contains "/<" && l.Contains "(Nn)")
                    "a closure's Nn reference reported"
            }

            test "negative control: an internal member used across a public-only edge is reported" {
                // Models uses Numerics internals (SplitMix64, DenseMath …); marking the edge public-only must flag them.
                let bad = violations allowed (publicOnly.Add("Models", "Numerics")) references.Value
                Expect.exists bad (fun l -> l.Contains "uses the internal GenStats.Numerics.") "internal use reported"
            }
        ]
