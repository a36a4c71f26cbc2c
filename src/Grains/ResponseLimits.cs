using System.Globalization;
using System.Text;

namespace InMemoryDb.Grains;

/// <summary>
/// How much one answer may hold (configuration section <c>InMemoryDb:Limits</c>). A listing whose whole answer would
/// pass <see cref="MaxResponseBytes"/> is refused up front (400 naming <c>limit</c> and <c>after</c>), never cut short;
/// pages are byte-limited the same way. Sizes are the UTF-8 JSON the service writes, estimated from stored JSON.
/// </summary>
public sealed class ResponseLimits
{
    /// <summary>The default cap of one answer (32 MiB).</summary>
    public const long DefaultMaxResponseBytes = 32L * 1024 * 1024;

    /// <summary>The largest answer, in bytes (<c>InMemoryDb:Limits:MaxResponseBytes</c>).</summary>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>The refusal of an answer of <paramref name="size"/> (of <paramref name="items"/>).</summary>
    public string TooLarge(ResultSize size, string items)
        => string.Create(CultureInfo.InvariantCulture,
            $"The answer would hold {size.Count} {items} in about {size.Bytes} bytes, over the limit of {MaxResponseBytes} bytes per response (InMemoryDb:Limits:MaxResponseBytes): ask for pages with limit and after (each page's Link header names the next).");

    /// <summary>The refusal of a page of <paramref name="limit"/> items over the cap.</summary>
    public string PageTooLarge(int limit, string items)
        => string.Create(CultureInfo.InvariantCulture,
            $"A page of {limit} {items} here would pass the limit of {MaxResponseBytes} bytes per response (InMemoryDb:Limits:MaxResponseBytes): ask for a smaller limit, and page on with after.");

    /// <summary>The JSON size of a record as the service writes it.</summary>
    public static long Of(RecordSnapshot record)
        => Encoding.UTF8.GetByteCount(record.DataJson) + Encoding.UTF8.GetByteCount(record.Id) + record.Table.Length + 110;

    /// <summary>The JSON size of a text value (quoted, unescaped estimate).</summary>
    public static long Of(string? text) => text is null ? 4 : Encoding.UTF8.GetByteCount(text) + 2;
}
