using System.Globalization;

namespace InMemoryDb.Bench.Rinha;

/// <summary>What the requests of one name (or all of them) measured: counts, statuses, errors, latency of OK requests.</summary>
public sealed class RequestStats(string name)
{
    private readonly Lock _gate = new();
    private readonly List<double> _latencies = [];
    private readonly SortedDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private double[]? _sorted;

    /// <summary>The request name (<c>Global</c> for all).</summary>
    public string Name { get; } = name;

    /// <summary>Requests sent (answered or failed).</summary>
    public int Total { get; private set; }

    /// <summary>Requests whose outcome the scenario accepts.</summary>
    public int Ok { get; private set; }

    /// <summary>Requests that failed or got an unexpected status.</summary>
    public int Ko => Total - Ok;

    /// <summary>Counts per HTTP status (<c>none</c> when no response came).</summary>
    public IReadOnlyDictionary<string, int> Statuses => _statuses;

    /// <summary>Counts per kind of error (failed requests and unexpected answers).</summary>
    public IReadOnlyDictionary<string, int> Errors => _errors;

    /// <summary>Records one request.</summary>
    public void Record(double milliseconds, int? status, bool ok, string? error)
    {
        lock (_gate)
        {
            Total++;
            var key = status?.ToString(CultureInfo.InvariantCulture) ?? "none";
            _statuses[key] = _statuses.GetValueOrDefault(key) + 1;
            if (error is not null) _errors[error] = _errors.GetValueOrDefault(error) + 1;
            if (ok)
            {
                Ok++;
                _latencies.Add(milliseconds);
                _sorted = null;
            }
        }
    }

    /// <summary>The p-th percentile (nearest rank) of OK latencies in ms; NaN when none.</summary>
    public double Percentile(double p)
    {
        var sorted = Sorted();
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>The mean latency of OK requests in ms.</summary>
    public double Mean
    {
        get
        {
            var sorted = Sorted();
            return sorted.Length == 0 ? double.NaN : sorted.Average();
        }
    }

    /// <summary>A table row: counts, latencies (min/mean/p50/p75/p95/p99/max over OK) and mean requests per second.</summary>
    public string Row(double seconds)
        => string.Create(CultureInfo.InvariantCulture,
            $"{Name,-16}{Total,8}{Ok,8}{Ko,6}{Percentile(0),9:F2}{Mean,9:F2}{Percentile(50),9:F2}{Percentile(75),9:F2}{Percentile(95),9:F2}{Percentile(99),9:F2}{Percentile(100),10:F2}{Total / Math.Max(seconds, 1e-9),8:F1}");

    /// <summary>The header of <see cref="Row"/>.</summary>
    public static string Header
        => $"{"request",-16}{"total",8}{"ok",8}{"ko",6}{"min",9}{"mean",9}{"p50",9}{"p75",9}{"p95",9}{"p99",9}{"max",10}{"rps",8}   (latencies in ms, over OK requests)";

    private double[] Sorted()
    {
        lock (_gate)
        {
            return _sorted ??= _latencies.Order().ToArray();
        }
    }
}
