using InMemoryDb.Grains.KeyValue;
using InMemoryDb.Grains.Pessoas;
using InMemoryDb.Grains.Questions;
using InMemoryDb.Grains.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// The working set of a silo bounded by memory rather than by the data (<c>InMemoryDb:Memory</c>): with
/// <c>BudgetBytes</c> set, Orleans' memory-based activation shedding deactivates the least recently used entities
/// whenever the process's managed memory passes the budget, down to <c>TargetFraction</c> of it; a later call reloads
/// an entity from storage. Orleans expresses its limits as percentages of the most memory the process may use (the
/// GC's high-memory-load threshold, or its heap limit in a container), so the budget is converted once, at start-up.
/// <c>CollectionAge:{kind}</c> sets how long an idle entity of a kind (<c>kv</c>, <c>record</c>, <c>person</c>,
/// <c>question</c>, <c>attempt</c>) stays resident without pressure (Orleans' default: 15 min; key-value and record writers: 1 min, <see cref="DefaultAges"/>). Nothing is lost by a
/// deactivation: every entity's state is stored when it changes (in PostgreSQL, or in the in-memory storage of the
/// embedded default, which itself holds every entity: there the budget bounds the activations, not the data).
/// </summary>
public static class MemoryBudget
{
    /// <summary>How often idle activations are collected by default (Orleans' default: a minute), so short ages take effect on time; <c>InMemoryDb:Memory:CollectionQuantum</c>.</summary>
    public static readonly TimeSpan CollectionQuantum = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Ages that differ from Orleans' default without configuration: a key-value key's grain only writes (its partition
    /// holds the key and serves its reads, and a new activation takes the state from there), so it leaves soon after;
    /// a record's grain only writes too (its table partition serves its reads), but a new activation reads storage; so
    /// does a catalogue item's grain (its catalogue partition serves its reads).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> DefaultAges = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase)
    {
        ["kv"] = TimeSpan.FromMinutes(1),
        ["record"] = TimeSpan.FromMinutes(1),
        ["conteudo"] = TimeSpan.FromMinutes(1),
    };

    /// <summary>The smallest budget accepted.</summary>
    public const long MinimumBudgetBytes = 64L * 1024 * 1024;

    /// <summary>The entity kinds whose collection age can be set, by the name used in configuration.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Kinds = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["kv"] = typeof(KeyValueGrain),
        ["record"] = typeof(RecordGrain),
        ["person"] = typeof(PessoaGrain),
        ["question"] = typeof(QuestionGrain),
        ["attempt"] = typeof(AnswerAttemptGrain),
        ["usuario"] = typeof(InMemoryDb.Grains.Streaming.UsuarioGrain),
        ["pagamentos"] = typeof(InMemoryDb.Grains.Streaming.PagamentosGrain),
        ["historico"] = typeof(InMemoryDb.Grains.Streaming.VisualizacoesGrain),
        ["sessoes"] = typeof(InMemoryDb.Grains.Streaming.SessoesGrain),
        ["recomendacoes"] = typeof(InMemoryDb.Grains.Streaming.RecomendacoesGrain),
        ["conteudo"] = typeof(InMemoryDb.Grains.Streaming.ConteudoGrain),
    };

    /// <summary>Applies <c>InMemoryDb:Memory</c> to the silo's grain collection.</summary>
    public static ISiloBuilder AddMemoryBudget(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = configuration.GetSection("InMemoryDb:Memory");
        var budget = section.GetValue<long?>("BudgetBytes") ?? 0;
        var targetFraction = section.GetValue("TargetFraction", 0.8);
        var quantum = section.GetValue("CollectionQuantum", CollectionQuantum);
        if (quantum <= TimeSpan.Zero) throw new InvalidOperationException("InMemoryDb:Memory:CollectionQuantum must be a positive duration.");
        var ages = DefaultAges.ToDictionary(a => Kinds[a.Key].FullName!, a => a.Value);
        foreach (var age in section.GetSection("CollectionAge").GetChildren())
        {
            if (!Kinds.TryGetValue(age.Key, out var grain))
            {
                throw new InvalidOperationException($"InMemoryDb:Memory:CollectionAge:{age.Key} names no entity kind; use one of {string.Join(", ", Kinds.Keys)}.");
            }
            ages[grain.FullName!] = age.Get<TimeSpan>() is { } value && value > quantum
                ? value
                : throw new InvalidOperationException($"InMemoryDb:Memory:CollectionAge:{age.Key} must be a duration longer than the collection quantum ({quantum:c}).");
        }
        var limits = budget > 0 ? Percentages(budget, targetFraction, MaximumAvailableMemoryBytes()) : ((double, double)?)null;
        if (budget > 0) silo.Services.AddHostedService(sp => new MemoryBudgetWatch(budget, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MemoryBudgetWatch>>()));
        silo.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionQuantum = quantum;
            foreach (var (grain, age) in ages) o.ClassSpecificCollectionAge[grain] = age;
            if (limits is not { } percent) return;
            o.EnableActivationSheddingOnMemoryPressure = true;
            o.MemoryUsageLimitPercentage = percent.Item1;
            o.MemoryUsageTargetPercentage = percent.Item2;
            o.MemoryUsagePollingPeriod = TimeSpan.FromSeconds(1);
        });
        return silo;
    }

    /// <summary>
    /// The limit and target percentages Orleans needs for <paramref name="budgetBytes"/> and <paramref name="targetFraction"/>
    /// of it, given the most memory the process may use; or an error naming the setting.
    /// </summary>
    public static (double Limit, double Target) Percentages(long budgetBytes, double targetFraction, long maximumAvailableBytes)
    {
        if (budgetBytes < MinimumBudgetBytes)
        {
            throw new InvalidOperationException($"InMemoryDb:Memory:BudgetBytes ({budgetBytes}) must be at least {MinimumBudgetBytes} (64 MiB), or 0 for no budget.");
        }
        if (targetFraction is <= 0.1 or >= 1)
        {
            throw new InvalidOperationException($"InMemoryDb:Memory:TargetFraction ({targetFraction}) must be between 0.1 and 1.");
        }
        if (budgetBytes >= maximumAvailableBytes)
        {
            throw new InvalidOperationException(
                $"InMemoryDb:Memory:BudgetBytes ({budgetBytes}) is not below the memory this process may use ({maximumAvailableBytes} bytes): it would never apply.");
        }
        var limit = 100.0 * budgetBytes / maximumAvailableBytes;
        return (limit, limit * targetFraction);
    }

    /// <summary>The most memory the process may use, as Orleans measures it (the lower of the GC's high-load threshold and its limit).</summary>
    public static long MaximumAvailableMemoryBytes()
    {
        var info = GC.GetGCMemoryInfo();
        var total = info.TotalAvailableMemoryBytes;
        var high = info.HighMemoryLoadThresholdBytes > 0 ? info.HighMemoryLoadThresholdBytes : total * 9 / 10;
        return Math.Min(high, total);
    }
}
