using InMemoryDb.Grains.Persistence;
using InMemoryDb.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace InMemoryDb.Grains.Streaming;

/// <summary>A session as stored (whether it is active depends on the time of the read).</summary>
public sealed record SessaoGuardada(string SessionId, string Dispositivo, string Localizacao, DateTimeOffset Inicio, DateTimeOffset UltimaAtividade, DateTimeOffset? EncerradaEm);

/// <summary>The persisted state of a <see cref="SessoesGrain"/>.</summary>
public sealed class SessoesState : EntityState
{
    /// <summary>The user's sessions, oldest first (at most <see cref="SessoesGrain.MaxSessions"/>).</summary>
    public List<SessaoGuardada> Sessoes { get; set; } = [];
}

/// <summary>
/// A user's sessions (<see cref="ISessoesGrain"/>). A session id names its user (<see cref="StreamingKeys.NewSessionId"/>),
/// so activity and ends go straight to this grain. A session idle longer than
/// <see cref="StreamingOptions.SessionIdleTimeout"/> counts as ended.
/// </summary>
[GrainType("streaming-sessoes")] // the prefix marks its events for the event log's correlation index
public sealed class SessoesGrain(
    [FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage,
    IOptions<StreamingOptions> options,
    ILogger<SessoesGrain> logger) : UserScopedGrain<SessoesState>(storage, StateName, logger), ISessoesGrain
{
    /// <summary>The storage name of session states.</summary>
    public const string StateName = "sessoes";

    /// <summary>The most sessions kept per user: a new one drops the oldest ended one (or the oldest) beyond it.</summary>
    public const int MaxSessions = 100;

    /// <inheritdoc />
    public async Task<Outcome<Sessao>> StartAsync(NovaSessao nova)
    {
        Dictionary<string, string[]>? errors = null;
        var dispositivo = nova.Dispositivo is null ? StreamingRules.Pick(StreamingValues.Dispositivos) : StreamingRules.OneOf(nova.Dispositivo, StreamingValues.Dispositivos);
        if (dispositivo is null) StreamingRules.Add(ref errors, "dispositivo", StreamingRules.NotOneOf(StreamingValues.Dispositivos));
        var localizacao = StreamingRules.Nfc(nova.Localizacao) ?? StreamingRules.NewCidade();
        if (StreamingRules.CheckText(localizacao) is { } problem) StreamingRules.Add(ref errors, "localizacao", problem);
        if (errors is not null) return Outcome<Sessao>.Invalid(errors);
        if (await CheckUserAsync() is { } missing) return missing.As<Sessao>();
        await LoadAsync();

        var now = DateTimeOffset.UtcNow;
        var sessao = new SessaoGuardada(StreamingKeys.NewSessionId(UserId), dispositivo!, localizacao, now, now, null);
        var kept = new List<SessaoGuardada>(State.Sessoes);
        if (kept.Count >= MaxSessions)
        {
            var ended = kept.FindIndex(s => !IsActive(s, now));
            kept.RemoveAt(ended >= 0 ? ended : 0);
        }
        kept.Add(sessao);
        await CommitAsync(new SessoesState { Sessoes = kept }, Event(StreamingEvents.SessionStarted, sessao, now));
        return Outcome<Sessao>.Created(ToSessao(sessao, now));
    }

    /// <inheritdoc />
    public Task<Outcome<Sessao>> TouchAsync(string sessionId) => ChangeAsync(sessionId, touch: true);

    /// <inheritdoc />
    public Task<Outcome<Sessao>> EndAsync(string sessionId) => ChangeAsync(sessionId, touch: false);

    /// <inheritdoc />
    public async Task<Outcome<IReadOnlyList<Sessao>>> ListAsync(bool ativasApenas)
    {
        if (await CheckUserAsync() is { } missing) return missing.As<IReadOnlyList<Sessao>>();
        await LoadAsync();
        var now = DateTimeOffset.UtcNow;
        var list = new List<Sessao>();
        for (var i = State.Sessoes.Count - 1; i >= 0; i--)
        {
            var sessao = ToSessao(State.Sessoes[i], now);
            if (!ativasApenas || sessao.Ativa) list.Add(sessao);
        }
        return Outcome<IReadOnlyList<Sessao>>.Ok(list);
    }

    private async Task<Outcome<Sessao>> ChangeAsync(string sessionId, bool touch)
    {
        if (!StreamingKeys.TryParseSessionId(sessionId, out var owner) || owner != UserId) return NotFound(sessionId);
        await LoadAsync();
        var index = State.Sessoes.FindIndex(s => s.SessionId == sessionId);
        if (index < 0) return NotFound(sessionId);
        var now = DateTimeOffset.UtcNow;
        var current = State.Sessoes[index];
        if (!IsActive(current, now))
        {
            return touch
                ? Outcome<Sessao>.Conflict($"Session {sessionId} has ended{(current.EncerradaEm is null ? " (idle too long)" : "")}; start a new one.")
                : Outcome<Sessao>.Ok(ToSessao(current, now));
        }
        var next = touch ? current with { UltimaAtividade = now } : current with { UltimaAtividade = now, EncerradaEm = now };
        var sessions = new List<SessaoGuardada>(State.Sessoes) { [index] = next };
        await CommitAsync(new SessoesState { Sessoes = sessions }, Event(touch ? StreamingEvents.SessionTouched : StreamingEvents.SessionEnded, next, now));
        return Outcome<Sessao>.Ok(ToSessao(next, now));
    }

    private EventEnvelope Event(string method, SessaoGuardada sessao, DateTimeOffset now)
        => NewEvent(method, StreamingKeys.Sessions, sessao.SessionId, StreamingJson.Write(ToSessao(sessao, now)), now);

    private bool IsActive(SessaoGuardada sessao, DateTimeOffset now)
        => sessao.EncerradaEm is null && now - sessao.UltimaAtividade <= options.Value.SessionIdleTimeout;

    private Sessao ToSessao(SessaoGuardada s, DateTimeOffset now)
        => new(s.SessionId, UserId, s.Dispositivo, s.Localizacao, s.Inicio, s.UltimaAtividade, s.EncerradaEm, IsActive(s, now));

    /// <summary>The answer to a session id that names no session.</summary>
    public static Outcome<Sessao> NotFound(string sessionId) => Outcome<Sessao>.NotFound($"Session '{sessionId}' does not exist.");
}
