/// The content of a validation report, independent of how it is rendered (HTML, JSON, console).
module GenStats.Validation.Report.Document

open System.Text.Json.Nodes

/// One table cell. Deviation is a difference in units of its uncertainty (σ) and is coloured.
type Cell =
    | Text of string
    | Number of float
    | Measured of value: float * uncertainty: float
    | Deviation of sigma: float

/// A table with a caption, column headers and rows of cells.
type Table =
    {
        Caption: string
        Headers: string list
        Rows: Cell list list
    }

/// A section of the report: prose, tables and Plotly figures, in that order.
type Section =
    {
        Title: string
        Paragraphs: string list
        Tables: Table list
        Figures: Plotly.Figure list
    }

/// A whole report. Numbers holds every figure of merit for the JSON file (machine-readable).
type Report =
    {
        Title: string
        Summary: string list
        Sections: Section list
        Numbers: JsonObject
    }

/// A section with only a title; fill it with the `with*` helpers.
let section title =
    {
        Title = title
        Paragraphs = []
        Tables = []
        Figures = []
    }

/// The section with a paragraph appended.
let withParagraph text (s: Section) =
    { s with
        Paragraphs = s.Paragraphs @ [ text ]
    }

/// The section with a table appended.
let withTable table (s: Section) =
    { s with Tables = s.Tables @ [ table ] }

/// The section with a figure appended.
let withFigure fig (s: Section) =
    { s with Figures = s.Figures @ [ fig ] }

/// How a σ-deviation is judged: |d| < 2 fine, < 3 tension, otherwise discrepant.
type Verdict =
    | Compatible
    | Tension
    | Discrepant

/// The verdict on a σ-deviation: |σ| < 2 Compatible, < 3 Tension, else (or NaN) Discrepant.
let verdict (sigma: float) =
    let a = abs sigma

    if not (System.Double.IsFinite a) then Discrepant
    elif a < 2.0 then Compatible
    elif a < 3.0 then Tension
    else Discrepant

/// Plain-text rendering of a cell (also used by the console summary).
let cellText (cell: Cell) =
    let inv (x: float) =
        x.ToString("G5", System.Globalization.CultureInfo.InvariantCulture)

    match cell with
    | Text s -> s
    | Number x -> inv x
    | Measured(v, u) -> sprintf "%s ± %s" (inv v) (inv u)
    | Deviation d -> sprintf "%+.2f σ" d
