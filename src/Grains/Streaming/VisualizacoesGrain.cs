using InMemoryDb.Grains.Persistence;
using InMemoryDb.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Streaming;

/// <summary>The persisted state of a <see cref="VisualizacoesGrain"/>.</summary>
public sealed class VisualizacoesState : UserLogState<Visualizacao>;

/// <summary>What recommendations need of a user's viewings: how many per type, and the items watched to the end.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.resumo-visualizacoes")]
public sealed record ResumoVisualizacoes(
    [property: Id(0)] IReadOnlyDictionary<string, int> PorTipo,
    [property: Id(1)] long[] Concluidos);

/// <summary>A user's viewings (<see cref="IVisualizacoesGrain"/>), an append-only log of bounded segments.</summary>
[GrainType("streaming-visualizacoes")] // the prefix marks its events for the event log's correlation index
public sealed class VisualizacoesGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, ILogger<VisualizacoesGrain> logger)
    : UserLogGrain<VisualizacoesState, Visualizacao>(storage, StateName, logger), IVisualizacoesGrain, IViewingSummaryGrain
{
    /// <summary>The storage name of viewing logs.</summary>
    public const string StateName = "visualizacoes";

    /// <summary>The most viewings a page returns.</summary>
    public const int MaxLimit = 100;

    /// <inheritdoc />
    protected override VisualizacoesState NewState(int sealedCount, List<Visualizacao> open) => new() { Sealed = sealedCount, Open = open };

    /// <inheritdoc />
    public async Task<Outcome<Visualizacao>> RecordAsync(NovaVisualizacao nova)
    {
        Dictionary<string, string[]>? errors = null;
        var conteudoId = nova.ConteudoId ?? Random.Shared.Next(1000, 10000);
        if (conteudoId is < 1 or > StreamingKeys.MaxId) StreamingRules.Add(ref errors, "conteudo_id", $"must be between 1 and {StreamingKeys.MaxId}.");
        var titulo = StreamingRules.Nfc(nova.Titulo) ?? StreamingRules.NewTitulo();
        if (StreamingRules.CheckText(titulo) is { } tituloProblem) StreamingRules.Add(ref errors, "titulo", tituloProblem);
        var tipo = nova.Tipo is null ? StreamingRules.Pick(StreamingValues.Tipos) : StreamingRules.OneOf(nova.Tipo, StreamingValues.Tipos);
        if (tipo is null) StreamingRules.Add(ref errors, "tipo", StreamingRules.NotOneOf(StreamingValues.Tipos));
        var tempo = nova.TempoAssistido ?? Random.Shared.Next(30, 181);
        if (tempo is < 0 or > StreamingRules.MaxTempoAssistido) StreamingRules.Add(ref errors, "tempo_assistido", $"must be between 0 and {StreamingRules.MaxTempoAssistido} minutes.");
        var posicao = nova.Posicao ?? Random.Shared.Next(10, 101);
        if (posicao is < 0 or > 100) StreamingRules.Add(ref errors, "posicao", "must be between 0 and 100 (percent).");
        if (errors is not null) return Outcome<Visualizacao>.Invalid(errors);
        if (await CheckUserAsync() is { } missing) return missing.As<Visualizacao>();

        var now = DateTimeOffset.UtcNow;
        var visualizacao = new Visualizacao(Guid.NewGuid().ToString("N"), UserId, conteudoId, titulo, tipo!, tempo, posicao, now,
            posicao >= StreamingValues.ConcluidoAPartirDe);
        await AppendAsync(visualizacao, NewEvent(StreamingEvents.Viewed, StreamingKeys.Viewings, UserKey, StreamingJson.Write(visualizacao), now));
        return Outcome<Visualizacao>.Created(visualizacao);
    }

    /// <inheritdoc />
    public async Task<Outcome<Historico>> GetAsync(string? tipo, bool? concluido, int limit)
    {
        if (limit is < 1 or > MaxLimit) return Outcome<Historico>.Invalid("limit", $"must be between 1 and {MaxLimit}.");
        var wanted = tipo is null ? null : StreamingRules.OneOf(tipo, StreamingValues.Tipos);
        if (tipo is not null && wanted is null) return Outcome<Historico>.Invalid("tipo", StreamingRules.NotOneOf(StreamingValues.Tipos));
        if (await CheckUserAsync() is { } missing) return missing.As<Historico>();

        if (wanted is null && concluido is null)
        {
            // No filter: the count is known from the state.
            await LoadAsync();
            var total = CountLoaded;
            return Outcome<Historico>.Ok(new Historico(UserId, total, (await NewestFirstAsync()).Take(limit).ToArray()));
        }
        var matching = (await NewestFirstAsync()).Where(v => (wanted is null || v.Tipo == wanted) && (concluido is null || v.Concluido == concluido));
        var page = new List<Visualizacao>(limit);
        var count = 0;
        foreach (var v in matching)
        {
            if (count++ < limit) page.Add(v);
        }
        return Outcome<Historico>.Ok(new Historico(UserId, count, page));
    }

    /// <inheritdoc />
    public async Task<ResumoVisualizacoes> SummaryAsync()
    {
        var perType = new Dictionary<string, int>(StringComparer.Ordinal);
        var completed = new HashSet<long>();
        foreach (var v in await NewestFirstAsync())
        {
            perType[v.Tipo] = perType.GetValueOrDefault(v.Tipo) + 1;
            if (v.Concluido) completed.Add(v.ConteudoId);
        }
        var ids = completed.ToArray();
        Array.Sort(ids);
        return new ResumoVisualizacoes(perType, ids);
    }
}

/// <summary>What a user's viewing log tells the recommendations.</summary>
public interface IViewingSummaryGrain : IGrainWithStringKey
{
    /// <summary>Viewings per type and the items watched to the end (the user is not checked: the caller did).</summary>
    [ReadOnly]
    Task<ResumoVisualizacoes> SummaryAsync();
}
