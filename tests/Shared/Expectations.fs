/// Expectations that Expecto's `Expect` module lacks and several test files need.
module GenStats.Tests.Expectations

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

/// Expects `text` to contain `part` (ordinal), showing both when it does not.
let contains (part: string) (text: string) (what: string) =
    if isNull text || not (text.Contains(part, System.StringComparison.Ordinal)) then
        failtestf "%s: expected the text to contain %A, got %A" what part text
