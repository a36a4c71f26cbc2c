using InMemoryDb.Grains.Persistence;
using InMemoryDb.Streaming;

namespace InMemoryDb.Grains.Streaming;

/// <summary>
/// One of the <see cref="Partitioning.Count"/> in-memory partitions of the content catalogue, keyed by partition number
/// (<see cref="Partitioning.Of"/> of the item id's text). It serves item reads, counting hits and misses in memory
/// (metrics, not writes: summed over the partitions by <c>GET /cache/stats</c>, and counted on the meter
/// <see cref="StreamingMetrics.MeterName"/> of each silo), and draws recommendation candidates.
/// </summary>
public interface IConteudoPartitionGrain : IGrainWithIntegerKey
{
    /// <summary>Records a change of item <paramref name="key"/> (a version no newer than the one held is dropped).</summary>
    Task ApplyAsync(string key, long version, Conteudo? conteudo);

    /// <summary>The item unless missing or expired, counted as a hit or a miss.</summary>
    Task<Conteudo?> GetAsync(long conteudoId);

    /// <summary>Items held (unexpired), hits and misses since the partition started.</summary>
    [ReadOnly]
    Task<ConteudoStats> StatsAsync();

    /// <summary>
    /// Up to <paramref name="limit"/> unexpired items of <paramref name="tipo"/> (any type when null) not in
    /// <paramref name="exclude"/>, best first for <paramref name="userId"/> (<see cref="Recommending.Score"/>), with their scores.
    /// </summary>
    [ReadOnly]
    Task<Recomendacao[]> CandidatesAsync(long userId, string? tipo, long[] exclude, int limit);

    /// <summary>After silo <paramref name="deadSilo"/> died: applies every stored item newer than what it holds.</summary>
    Task ReconcileAsync(string deadSilo);
}

/// <summary>The catalogue items of one partition (<see cref="IConteudoPartitionGrain"/>), rebuilt from storage on activation.</summary>
[KeepAlive]
public sealed class ConteudoPartitionGrain(IGrainStateScanner scanner, ILogger<ConteudoPartitionGrain> logger)
    : ProjectionPartitionGrain<ConteudoState, Conteudo>(scanner, logger), IConteudoPartitionGrain
{
    private static readonly System.Diagnostics.Metrics.Meter Meter = new(StreamingMetrics.MeterName);
    private static readonly System.Diagnostics.Metrics.Counter<long> HitCounter = Meter.CreateCounter<long>("inmemorydb.streaming.cache.hits", description: "Catalogue reads served");
    private static readonly System.Diagnostics.Metrics.Counter<long> MissCounter = Meter.CreateCounter<long>("inmemorydb.streaming.cache.misses", description: "Catalogue reads of items missing or expired");
    private readonly Dictionary<long, Conteudo> _items = [];
    private long _hits;
    private long _misses;

    /// <inheritdoc />
    protected override string Scope => StreamingKeys.Contents;

    /// <inheritdoc />
    protected override string StateName => ConteudoGrain.StateName;

    /// <inheritdoc />
    protected override int Count => _items.Count;

    /// <inheritdoc />
    protected override Stored? FromStored(string grainKey, ConteudoState state)
        => state.Conteudo is { } conteudo ? new Stored(IdOf(grainKey), state.Version, conteudo) : null;

    /// <inheritdoc />
    protected override void Set(string key, Conteudo? conteudo)
    {
        if (conteudo is not null) _items[conteudo.ConteudoId] = conteudo;
    }

    /// <inheritdoc />
    public async Task<Conteudo?> GetAsync(long conteudoId)
    {
        await WaitUntilLoadedAsync();
        if (_items.TryGetValue(conteudoId, out var conteudo) && !Expired(conteudo, DateTimeOffset.UtcNow))
        {
            _hits++;
            HitCounter.Add(1);
            return conteudo;
        }
        _misses++;
        MissCounter.Add(1);
        return null;
    }

    /// <inheritdoc />
    public async Task<ConteudoStats> StatsAsync()
    {
        await WaitUntilLoadedAsync();
        var now = DateTimeOffset.UtcNow;
        return new ConteudoStats(_items.Values.Count(c => !Expired(c, now)), _hits, _misses);
    }

    /// <inheritdoc />
    public async Task<Recomendacao[]> CandidatesAsync(long userId, string? tipo, long[] exclude, int limit)
    {
        await WaitUntilLoadedAsync();
        var now = DateTimeOffset.UtcNow;
        var excluded = exclude.Length == 0 ? null : new HashSet<long>(exclude);
        var best = new PriorityQueue<Recomendacao, (double, long)>(limit + 1, Recommending.WorstFirst);
        foreach (var item in _items.Values)
        {
            if ((tipo is not null && item.Tipo != tipo) || Expired(item, now) || excluded?.Contains(item.ConteudoId) == true) continue;
            var candidate = new Recomendacao(item.ConteudoId, item.Titulo, item.Tipo, item.Categoria, Recommending.Score(userId, item.ConteudoId, 0.5), "");
            best.Enqueue(candidate, (candidate.Pontuacao, candidate.ConteudoId));
            if (best.Count > limit) best.Dequeue();
        }
        var result = new Recomendacao[best.Count];
        for (var i = result.Length - 1; i >= 0; i--) result[i] = best.Dequeue();
        return result;
    }

    private static bool Expired(Conteudo conteudo, DateTimeOffset now) => conteudo.ExpiraEm is { } expires && expires <= now;
}

/// <summary>The streaming platform's meter (catalogue hits and misses), for OpenTelemetry or <c>dotnet-counters</c>.</summary>
public static class StreamingMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "InMemoryDb.Streaming";
}
