using System.Globalization;
using System.Net;

namespace InMemoryDb.Bench;

/// <summary>What one scenario measured: latencies of OK requests, counts by status, errors, wall time.</summary>
public sealed class LoadStats(string name)
{
    private readonly List<double> _latencies = [];
    private readonly Dictionary<string, int> _statuses = [];
    private readonly Dictionary<string, int> _errors = [];
    private readonly Lock _gate = new();

    public string Name { get; } = name;
    public int Total { get; private set; }
    public int Ok { get; private set; }
    public TimeSpan Elapsed { get; set; }

    public void Record(double milliseconds, HttpStatusCode? status, bool ok, string? error = null)
    {
        lock (_gate)
        {
            Total++;
            var key = status is { } s ? ((int)s).ToString(CultureInfo.InvariantCulture) : "none";
            _statuses[key] = _statuses.GetValueOrDefault(key) + 1;
            if (error is not null) _errors[error] = _errors.GetValueOrDefault(error) + 1;
            if (ok)
            {
                Ok++;
                _latencies.Add(milliseconds);
            }
        }
    }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_latencies.Count == 0) return double.NaN;
            var sorted = _latencies.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }

    public double Throughput => Ok / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public override string ToString()
    {
        var statuses = string.Join(" ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}"));
        var errors = _errors.Count == 0 ? "" : " errors=" + string.Join(",", _errors.Select(e => $"{e.Key}:{e.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{Name,-28} total={Total} ok={Ok} ko={Total - Ok} rps={Throughput:F0} p50={Percentile(50):F2}ms p75={Percentile(75):F2}ms p95={Percentile(95):F2}ms p99={Percentile(99):F2}ms max={Percentile(100):F2}ms [{statuses}]{errors}");
    }
}
