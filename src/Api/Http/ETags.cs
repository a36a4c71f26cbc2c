using System.Globalization;

namespace InMemoryDb.Api.Http;

/// <summary>Record versions as HTTP entity tags (<c>"7"</c>).</summary>
public static class ETags
{
    /// <summary>The ETag of a version.</summary>
    public static string Of(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Reads an If-Match header: no header or <c>*</c> means any version (null); a single tag (strong or weak)
    /// means that version. Returns false when the header names no version that could match.
    /// </summary>
    public static bool TryParseIfMatch(string? header, out long? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*") return true;
        var tag = header.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        if (tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"'
            && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }
        return false;
    }
}
