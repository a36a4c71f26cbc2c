using InMemoryDb.Grains.Persistence;
using InMemoryDb.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Streaming;

/// <summary>The persisted state of a <see cref="ConteudoGrain"/>.</summary>
public sealed class ConteudoState : EntityState
{
    /// <summary>The item (null until first put).</summary>
    public Conteudo? Conteudo { get; set; }

    /// <summary>Incremented by every put: the catalogue partition keeps the newest.</summary>
    public long Version { get; set; }
}

/// <summary>
/// The writer of one catalogue item (<see cref="IConteudoGrain"/>): a put is committed with its event and applied to
/// the catalogue partition, which serves the item's reads and draws recommendations, before it is answered. The grain
/// is transient: it leaves after an item's first put, and otherwise once idle for a minute (<c>InMemoryDb:Memory:CollectionAge:conteudo</c>); the partition is the item's resident form.
/// </summary>
[GrainType("streaming-conteudo")] // the prefix marks its events for the event log's correlation index
public sealed class ConteudoGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, ILogger<ConteudoGrain> logger)
    : EntityGrain<ConteudoState>(storage, StateName, logger), IConteudoGrain
{
    /// <summary>The storage name of catalogue item states (unique among grain classes).</summary>
    public const string StateName = "conteudo";

    /// <summary>The largest details object (UTF-8 bytes of its JSON).</summary>
    public const int MaxDetailsBytes = 64 * 1024;

    /// <inheritdoc />
    public async Task<Outcome<Conteudo>> PutAsync(NovoConteudo novo)
    {
        var id = StreamingKeys.IdOf(this.GetPrimaryKeyString());
        if (id == 0) return Outcome<Conteudo>.BadRequest($"'{this.GetPrimaryKeyString()}' is not a catalogue key ({StreamingKeys.Contents}/{{conteudo_id}}).");
        Dictionary<string, string[]>? errors = null;
        var titulo = StreamingRules.Nfc(novo.Titulo) ?? StreamingRules.NewTitulo();
        if (StreamingRules.CheckText(titulo) is { } tituloProblem) StreamingRules.Add(ref errors, "titulo", tituloProblem);
        var tipo = novo.Tipo is null ? StreamingRules.Pick(StreamingValues.Tipos) : StreamingRules.OneOf(novo.Tipo, StreamingValues.Tipos);
        if (tipo is null) StreamingRules.Add(ref errors, "tipo", StreamingRules.NotOneOf(StreamingValues.Tipos));
        var categoria = StreamingRules.Nfc(novo.Categoria) ?? StreamingRules.NewCategoria();
        if (StreamingRules.CheckText(categoria) is { } categoriaProblem) StreamingRules.Add(ref errors, "categoria", categoriaProblem);
        if (novo.DetalhesJson is { } details)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(details) > MaxDetailsBytes) StreamingRules.Add(ref errors, "detalhes", $"must be at most {MaxDetailsBytes} bytes of JSON.");
            else if (InputLimits.CheckJson(details, "detalhes") is { } problem) StreamingRules.Add(ref errors, problem.Path.Length == 0 ? "detalhes" : problem.Path, problem.Message);
            else if (!IsObject(details)) StreamingRules.Add(ref errors, "detalhes", "must be a JSON object.");
        }
        if (novo.TtlSegundos is < 1 or > StreamingRules.MaxTtlSegundos) StreamingRules.Add(ref errors, "ttl_segundos", $"must be between 1 and {StreamingRules.MaxTtlSegundos}.");
        if (errors is not null) return Outcome<Conteudo>.Invalid(errors);

        await LoadAsync();
        var now = DateTimeOffset.UtcNow;
        var conteudo = new Conteudo(id, titulo, tipo!, categoria, novo.DetalhesJson, now, novo.TtlSegundos is { } ttl ? now.AddSeconds(ttl) : null);
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var version = State.Version + 1;
        await CommitAsync(new ConteudoState { Conteudo = conteudo, Version = version },
            NewEvent(StreamingEvents.ContentPut, StreamingKeys.Contents, key, StreamingJson.Write(conteudo), now));
        // An item's first put (a catalogue load) leaves its writer at once; one put again stays for the collection age.
        if (version == 1) DeactivateOnIdle();
        return Outcome<Conteudo>.Ok(conteudo);
    }

    /// <inheritdoc />
    protected override bool ProjectionServesReads => true;

    /// <inheritdoc />
    protected override Task ProjectAsync()
    {
        var key = StreamingKeys.IdOf(this.GetPrimaryKeyString()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return GrainFactory.GetGrain<IConteudoPartitionGrain>(Partitioning.Of(key)).ApplyAsync(key, State.Version, State.Conteudo);
    }

    private static bool IsObject(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
    }
}
