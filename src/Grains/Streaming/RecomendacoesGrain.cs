using InMemoryDb.Grains.Persistence;
using InMemoryDb.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Streaming;

/// <summary>The persisted state of a <see cref="RecomendacoesGrain"/>.</summary>
public sealed class RecomendacoesState : EntityState
{
    /// <summary>The list (null until first generated).</summary>
    public Recomendacoes? Lista { get; set; }
}

/// <summary>
/// A user's recommendations (<see cref="IRecomendacoesGrain"/>). A generation reads the user's viewings and the
/// catalogue and replaces the list in one write; generations run one at a time, so concurrent ones leave exactly one
/// list. The rule is the original's (per type, most watched first, min(2 × count, 10) items; 5 items with no history),
/// drawn from the catalogue (items the user has not completed, not expired) when it has any, from generated items
/// otherwise, and deterministic for the same viewings and catalogue (<see cref="Recommending.Score"/>).
/// </summary>
[GrainType("streaming-recomendacoes")] // the prefix marks its events for the event log's correlation index
public sealed class RecomendacoesGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, ILogger<RecomendacoesGrain> logger)
    : UserScopedGrain<RecomendacoesState>(storage, StateName, logger), IRecomendacoesGrain
{
    /// <summary>The storage name of recommendation lists.</summary>
    public const string StateName = "recomendacoes";

    /// <inheritdoc />
    public async Task<Outcome<Recomendacoes>> GenerateAsync()
    {
        if (await CheckUserAsync() is { } missing) return missing.As<Recomendacoes>();
        var summary = await GrainFactory.GetGrain<IViewingSummaryGrain>(StreamingKeys.Of(StreamingKeys.Viewings, UserId)).SummaryAsync();
        var partitions = Enumerable.Range(0, Partitioning.Count).Select(p => GrainFactory.GetGrain<IConteudoPartitionGrain>(p)).ToArray();
        var catalogue = (await Task.WhenAll(partitions.Select(p => p.StatsAsync()))).Sum(s => s.Itens);

        var items = new List<Recomendacao>();
        if (summary.PorTipo.Count == 0)
        {
            items.AddRange(catalogue > 0
                ? (await CandidatesAsync(partitions, null, summary.Concluidos, 5)).Select(r => r with { Motivo = "Popular na plataforma" })
                : Recommending.Generated(UserId, null, 5));
        }
        else
        {
            foreach (var (tipo, count) in summary.PorTipo.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal))
            {
                var wanted = Math.Min(2 * count, 10);
                var motivo = $"Porque você assistiu {count} {(count == 1 ? "título" : "títulos")} do tipo {tipo}";
                items.AddRange(catalogue > 0
                    ? (await CandidatesAsync(partitions, tipo, summary.Concluidos, wanted)).Select(r => r with { Motivo = motivo })
                    : Recommending.Generated(UserId, tipo, wanted).Select(r => r with { Motivo = motivo }));
            }
        }

        await LoadAsync();
        var now = DateTimeOffset.UtcNow;
        var lista = new Recomendacoes(UserId, now, items);
        await CommitAsync(new RecomendacoesState { Lista = lista },
            NewEvent(StreamingEvents.Recommended, StreamingKeys.Recommendations, UserKey, StreamingJson.Write(lista), now));
        return Outcome<Recomendacoes>.Created(lista);
    }

    /// <inheritdoc />
    public async Task<Outcome<Recomendacoes?>> GetAsync()
    {
        if (await CheckUserAsync() is { } missing) return missing.As<Recomendacoes?>();
        await LoadAsync();
        return Outcome<Recomendacoes?>.Ok(State.Lista);
    }

    private async Task<IEnumerable<Recomendacao>> CandidatesAsync(IConteudoPartitionGrain[] partitions, string? tipo, long[] exclude, int wanted)
    {
        var runs = await Task.WhenAll(partitions.Select(p => p.CandidatesAsync(UserId, tipo, exclude, wanted)));
        return runs.SelectMany(r => r).OrderByDescending(r => r.Pontuacao).ThenBy(r => r.ConteudoId).Take(wanted);
    }
}

/// <summary>The deterministic parts of recommending: scores and generated items.</summary>
public static class Recommending
{
    /// <summary>Orders candidates worst first (lower score, then higher id): the top of a bounded queue of the best.</summary>
    public static readonly IComparer<(double Score, long Id)> WorstFirst =
        Comparer<(double Score, long Id)>.Create((a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Id.CompareTo(a.Id));

    /// <summary>The score (<paramref name="floor"/>–1.0, two decimals) of item <paramref name="conteudoId"/> for <paramref name="userId"/>: the same every time.</summary>
    public static double Score(long userId, long conteudoId, double floor)
    {
        var hash = Mix((ulong)userId * 0x9E3779B97F4A7C15UL ^ (ulong)conteudoId);
        var span = (int)Math.Round((1.0 - floor) * 100);
        return Math.Round(floor + (hash % (ulong)(span + 1)) / 100.0, 2);
    }

    /// <summary><paramref name="count"/> generated items of <paramref name="tipo"/> (any when null: "popular", scores 0.5–0.8), for an empty catalogue.</summary>
    public static IEnumerable<Recomendacao> Generated(long userId, string? tipo, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var hash = Mix(((ulong)userId << 8) ^ (ulong)(i + 1) ^ (tipo is null ? 0UL : (ulong)(uint)Partitioning.Bucket(tipo, int.MaxValue) << 32));
            var id = 1000 + (long)(hash % 9000);
            var kind = tipo ?? StreamingValues.Tipos[(int)(hash >> 20 & 0xFFFF) % StreamingValues.Tipos.Length];
            var words = StreamingRules.TitleWords;
            var title = $"{words[(int)(hash >> 8 & 0xFFFF) % words.Length]} {words[(int)(hash >> 16 & 0xFFFF) % words.Length]}";
            var score = Score(userId, id, 0.5);
            yield return new Recomendacao(id, title, kind, StreamingRules.Categories[(int)(hash >> 24 & 0xFFFF) % StreamingRules.Categories.Length],
                tipo is null ? Math.Round(0.5 + ((score - 0.5) * 0.6), 2) : score,
                tipo is null ? "Popular na plataforma" : "");
        }
    }

    private static ulong Mix(ulong x)
    {
        // SplitMix64's finaliser: well spread, and the same in every process.
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
