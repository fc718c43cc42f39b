using System.Text.RegularExpressions;

namespace Firebreak.Alerts;

/// <summary>An Alertmanager-style matcher: <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c>, <c>name!~regex</c>.</summary>
public sealed record LabelMatcher(string Name, string Operator, string Value)
{
    private Regex? _regex;

    public static bool TryParse(string? text, out LabelMatcher matcher, out string? error)
    {
        matcher = null!;
        error = null;
        var t = text?.Trim() ?? "";
        foreach (var op in new[] { "!~", "=~", "!=", "=" })
        {
            var at = t.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0) continue;
            var name = t[..at].Trim();
            var value = t[(at + op.Length)..].Trim().Trim('"');
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                error = $"'{name}' is not a label name";
                return false;
            }
            matcher = new LabelMatcher(name, op, value);
            if (op is "=~" or "!~")
            {
                try { matcher._regex = new Regex("^(?:" + value + ")$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)); }
                catch (ArgumentException e)
                {
                    error = $"'{value}' is not a valid regular expression: {e.Message}";
                    return false;
                }
            }
            return true;
        }
        error = $"'{t}' is not a matcher (use name=value, name!=value, name=~regex or name!~regex)";
        return false;
    }

    /// <summary>A label that is absent matches as the empty string, as in Alertmanager.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var actual = labels.GetValueOrDefault(Name) ?? "";
        return Operator switch
        {
            "=" => actual == Value,
            "!=" => actual != Value,
            "=~" => Safe(actual),
            _ => !Safe(actual),
        };
    }

    private bool Safe(string actual)
    {
        try { return _regex!.IsMatch(actual); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    public override string ToString() => $"{Name}{Operator}{Value}";

    public static List<LabelMatcher> ParseAll(IEnumerable<string> texts, out string? error)
    {
        var list = new List<LabelMatcher>();
        error = null;
        foreach (var text in texts)
        {
            if (!TryParse(text, out var m, out error)) return [];
            list.Add(m);
        }
        return list;
    }
}
