using System.Text.Json;
using GenStats.Data;
using GenStats.Stats;

namespace GenStats.Comparison;

/// <summary>
/// The JSON form of a comparison: <c>{"metrics":[{"name":…, "columns":[…], "value":…,
/// "uncertainty":…, "extra":{…}}]}</c>. Numbers are JSON numbers in round-trip precision; NaN and
/// ±∞ have no JSON form and are written as <c>null</c>.
/// </summary>
public static class MetricReportJson
{
    /// <summary>The reports as a JSON document (indented).</summary>
    public static string ToJson(IEnumerable<MetricReport> reports) => ToJson(reports, null);

    /// <summary>The reports and, when given, <c>"skipped": [{"name", "reason"}]</c> (metrics of "all" that refused the input).</summary>
    public static string ToJson(IEnumerable<MetricReport> reports, IReadOnlyList<SkippedMetric>? skipped)
    {
        ArgumentNullException.ThrowIfNull(reports);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("metrics");
            foreach (var r in reports)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteStartArray("columns");
                foreach (var c in r.Columns) w.WriteStringValue(c);
                w.WriteEndArray();
                Number(w, "value", r.Value);
                Number(w, "uncertainty", r.Uncertainty);
                w.WriteStartObject("extra");
                foreach (var (k, v) in r.Extra) Number(w, k, v);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (skipped is not null)
            {
                w.WriteStartArray("skipped");
                foreach (var sk in skipped)
                {
                    w.WriteStartObject();
                    w.WriteString("name", sk.Name);
                    w.WriteString("reason", sk.Reason);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes the JSON document atomically.</summary>
    public static void Write(IEnumerable<MetricReport> reports, string path) => AtomicFile.WriteText(path, ToJson(reports));

    /// <summary>Writes the reports and the skipped metrics atomically.</summary>
    public static void Write(ComparisonOutcome outcome, string path) =>
        AtomicFile.WriteText(path, ToJson(outcome.Reports, outcome.Skipped));

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
