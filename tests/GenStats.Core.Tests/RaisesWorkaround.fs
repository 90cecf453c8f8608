/// WORKAROUND, to delete once tests/Shared/Expectations.fs is fixed: there `raises<'E>` declares
/// its type parameters explicitly but not 'a, so F# fixes `action : unit -> 'a` to `unit -> obj`
/// (warning FS0064, an error under TreatWarningsAsErrors) and no `unit -> unit` action fits.
/// This is the same function with `action : unit -> unit` (what NUnit's Assert.Throws took).
module GenStats.Tests.Core.RaisesWorkaround

open Expecto

/// Runs `action`, expects it to throw an exception of type 'E (or a subtype) and returns it, so
/// the test can check its message; fails naming `what` when nothing or something else is thrown.
let raises<'E when 'E :> exn> (what: string) (action: unit -> unit) : 'E =
    let thrown =
        try
            action ()
            None
        with e ->
            Some e
    match thrown with
    | Some(:? 'E as e) -> e
    | Some other -> failtestf "%s: expected %s, got %s: %s" what typeof<'E>.Name (other.GetType().Name) other.Message
    | None -> failtestf "%s: expected %s, nothing was thrown" what typeof<'E>.Name
