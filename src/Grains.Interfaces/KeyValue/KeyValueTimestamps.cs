using System.Globalization;
using System.Text.RegularExpressions;

namespace InMemoryDb.KeyValue;

/// <summary>
/// Operation timestamps of the key-value store as text: ISO-8601 (<c>2026-01-31T12:00:00.1234567Z</c>; an offset
/// is honoured, none means UTC) or Unix milliseconds (<c>1769860800123</c>). They are compared at 100 ns precision,
/// and <see cref="Format"/> keeps all of it, so a timestamp read back can be sent again unchanged.
/// </summary>
public static partial class KeyValueTimestamps
{
    /// <summary>The timestamp as ISO-8601 UTC with seven fractional digits.</summary>
    public static string Format(DateTimeOffset timestamp)
        => timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an ISO-8601 date-time or a whole number of Unix milliseconds; false when it is neither.</summary>
    public static bool TryParse(string? text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TryFromUnixMilliseconds(milliseconds, out timestamp);
        }
        if (!IsoPattern().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp))
        {
            return false;
        }
        timestamp = timestamp.ToUniversalTime();
        return InputLimits.CheckTimestamp(timestamp) is null;
    }

    /// <summary>Unix milliseconds as a timestamp; false when out of the accepted range (<see cref="InputLimits.CheckTimestamp"/>).</summary>
    public static bool TryFromUnixMilliseconds(long milliseconds, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (milliseconds is < -62_135_596_800_000 or > 253_402_300_799_999) return false;
        timestamp = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return InputLimits.CheckTimestamp(timestamp) is null;
    }

    [GeneratedRegex(@"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex IsoPattern();
}
