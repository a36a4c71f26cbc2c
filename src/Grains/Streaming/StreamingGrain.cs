using InMemoryDb.Grains.Events;
using InMemoryDb.Streaming;
using Microsoft.Extensions.Options;

namespace InMemoryDb.Grains.Streaming;

/// <summary>
/// The platform's front door (<see cref="IStreamingGrain"/>), a stateless worker: runs each operation on the entity
/// grains, shapes its reply (<see cref="StreamingReplies"/>), records it in the status partitions, publishes it on the
/// reply stream and logs it (the original's monitor: transaction id, event type, status, time; email and CPF masked).
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class StreamingGrain(IEventLogStore eventLog, IOptions<StreamingOptions> options, ILogger<StreamingGrain> logger)
    : Grain, IStreamingGrain
{
    /// <summary>Ids taken from the allocator at a time.</summary>
    private const int IdBlock = 64;

    /// <summary>The most users a listing page returns.</summary>
    public const int MaxUsersPage = 1000;

    private long _nextId;
    private long _blockEnd;
    private Orleans.Streams.IAsyncStream<StatusReply>? _replies;

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> CreateUserAsync(NovoUsuario novo)
    {
        const string op = StreamingEvents.UserCreated;
        var nome = novo.Nome ?? StreamingRules.NewNome();
        Outcome<Usuario> outcome = null!;
        // A generated id, email or CPF that turns out taken is drawn again; a given one is the caller's answer.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var userId = novo.UserId ?? await NextIdAsync();
            var email = novo.Email ?? StreamingRules.NewEmail(nome, userId, attempt);
            var cpf = novo.Cpf ?? StreamingRules.NewCpf();
            outcome = await User(userId).CreateAsync(new NovoUsuario(userId, nome, email, cpf));
            var taken = outcome.Kind == OutcomeKind.Conflict ? outcome.Errors?.Keys.FirstOrDefault() : null;
            var generated = taken switch
            {
                "user_id" => novo.UserId is null,
                "email" => novo.Email is null,
                "cpf" => novo.Cpf is null,
                _ => false,
            };
            if (!generated) break;
        }
        if (outcome.Succeeded) LogUserCreated(logger, outcome.Value!.UserId, Mask.Email(outcome.Value.Email), Mask.Cpf(outcome.Value.Cpf));
        return await ReplyAsync(op, outcome, u => (StreamingReplies.MessageOf(op), StreamingReplies.WriteBody(op, StreamingJson.Write(u)), null));
    }

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> GetUserAsync(long userId)
    {
        var usuario = await User(userId).GetAsync();
        var outcome = usuario is null ? Outcome<Usuario>.NotFound(UsuarioGrain.NotFound(userId)) : Outcome<Usuario>.Ok(usuario);
        return await ReplyAsync("obter_usuario", outcome, u => ("Usuário encontrado", StreamingReplies.Body(w => w.Write("usuario", u)), null));
    }

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> ListUsersAsync(long after, int limit)
    {
        const string op = "listar_usuarios";
        if (limit is < 1 or > MaxUsersPage) return await RefuseAsync(op, Outcome<StreamingReply>.Invalid("limit", $"must be between 1 and {MaxUsersPage}."));
        if (after < 0) return await RefuseAsync(op, Outcome<StreamingReply>.Invalid("after", "must not be negative."));
        var partitions = Enumerable.Range(0, Partitioning.Count).Select(p => GrainFactory.GetGrain<IUsuarioPartitionGrain>(p)).ToArray();
        var pages = await Task.WhenAll(partitions.Select(p => p.PageAsync(after, limit + 1)));
        var counts = await Task.WhenAll(partitions.Select(p => p.CountAsync()));
        var merged = pages.SelectMany(p => p).OrderBy(u => u.UserId).Take(limit + 1).ToList();
        var more = merged.Count > limit;
        if (more) merged.RemoveAt(limit);
        var page = new UsuarioPage(counts.Sum(c => (long)c), merged, more ? merged[^1].UserId : null);
        return await ReplyAsync(op, Outcome<UsuarioPage>.Ok(page), p => ("Usuários encontrados", StreamingReplies.Body(w =>
        {
            w.WriteNumber("total", p.Total);
            w.Write("usuarios", p.Usuarios);
            if (p.Next is { } next) w.WriteNumber("proximo", next);
            else w.WriteNull("proximo");
        }), null));
    }

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> SubscribeAsync(long userId, NovaAssinatura assinatura)
        => await WriteReplyAsync(StreamingEvents.Subscribed, await User(userId).SubscribeAsync(assinatura));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> GetSubscriptionsAsync(long userId)
        => await ReplyAsync("obter_assinatura", await User(userId).GetSubscriptionsAsync(), a => ("Assinaturas do usuário", StreamingReplies.Body(w =>
        {
            w.WriteNumber("user_id", a.UserId);
            w.Write("atual", a.Atual);
            w.Write("historico", a.Historico);
        }), null));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> PayAsync(long userId, NovoPagamento pagamento, string? idempotencyKey)
    {
        const string op = StreamingEvents.Paid;
        var outcome = await GrainFactory.GetGrain<IPagamentosGrain>(StreamingKeys.Of(StreamingKeys.Payments, userId)).PayAsync(pagamento, idempotencyKey);
        if (outcome is { Succeeded: true, Value: { Repetido: true } repeat })
        {
            // The same answer as the first time, under the first request's correlation id; nothing new is recorded.
            var body = StreamingReplies.WriteBody(op, StreamingJson.Write(repeat.Pagamento));
            return Outcome<StreamingReply>.Ok(new StreamingReply(repeat.CorrelationId, op, StreamingReplies.MessageOf(op), body, null, DateTimeOffset.UtcNow));
        }
        return await WriteReplyAsync(op, outcome.Succeeded ? Outcome<Pagamento>.Ok(outcome.Value!.Pagamento) : outcome.As<Pagamento>());
    }

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> ListPaymentsAsync(long userId, int limit)
        => await ReplyAsync("listar_pagamentos",
            await GrainFactory.GetGrain<IPagamentosGrain>(StreamingKeys.Of(StreamingKeys.Payments, userId)).ListAsync(limit),
            list => ("Pagamentos do usuário", StreamingReplies.Body(w =>
            {
                w.WriteNumber("user_id", userId);
                w.WriteNumber("total", list.Count);
                w.Write("pagamentos", list);
            }), null));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> SetPreferencesAsync(long userId, NovasPreferencias preferencias, long? ifVersion)
    {
        const string op = StreamingEvents.PreferencesChanged;
        return await ReplyAsync(op, await User(userId).SetPreferencesAsync(preferencias, ifVersion),
            p => (StreamingReplies.MessageOf(op), StreamingReplies.WriteBody(op, StreamingJson.Write(p)), ETagOf(p.Versao)));
    }

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> GetPreferencesAsync(long userId)
        => await ReplyAsync("obter_config", await User(userId).GetPreferencesAsync(), p => (
            p is null ? "Nenhuma preferência definida" : "Preferências do usuário",
            StreamingReplies.Body(w => w.Write("config", p)),
            ETagOf(p?.Versao ?? 0)));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> RecordViewingAsync(long userId, NovaVisualizacao visualizacao)
        => await WriteReplyAsync(StreamingEvents.Viewed, await Viewings(userId).RecordAsync(visualizacao));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> GetViewingsAsync(long userId, string? tipo, bool? concluido, int limit)
        => await ReplyAsync("obter_historico_visualizacao", await Viewings(userId).GetAsync(tipo, concluido, limit), h => ("Histórico de visualização", StreamingReplies.Body(w =>
        {
            w.WriteNumber("user_id", h.UserId);
            w.WriteNumber("total", h.Total);
            w.Write("historico", h.Itens);
        }), null));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> GenerateRecommendationsAsync(long userId)
        => await WriteReplyAsync(StreamingEvents.Recommended, await Recommendations(userId).GenerateAsync());

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> GetRecommendationsAsync(long userId)
        => await ReplyAsync("obter_recomendacoes", await Recommendations(userId).GetAsync(), r => (
            r is null ? "Nenhuma recomendação gerada para o usuário" : "Recomendações do usuário",
            StreamingReplies.Body(w => w.Write("recomendacoes", r)),
            null));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> StartSessionAsync(long userId, NovaSessao sessao)
        => await WriteReplyAsync(StreamingEvents.SessionStarted, await Sessions(userId).StartAsync(sessao));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> TouchSessionAsync(string sessionId)
        => await WriteReplyAsync(StreamingEvents.SessionTouched, StreamingKeys.TryParseSessionId(sessionId, out var userId)
            ? await Sessions(userId).TouchAsync(sessionId)
            : SessoesGrain.NotFound(sessionId));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> EndSessionAsync(string sessionId)
        => await WriteReplyAsync(StreamingEvents.SessionEnded, StreamingKeys.TryParseSessionId(sessionId, out var userId)
            ? await Sessions(userId).EndAsync(sessionId)
            : SessoesGrain.NotFound(sessionId));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> ListSessionsAsync(long userId, bool ativasApenas)
        => await ReplyAsync("listar_sessoes_usuario", await Sessions(userId).ListAsync(ativasApenas), list => ("Sessões do usuário", StreamingReplies.Body(w =>
        {
            w.WriteNumber("user_id", userId);
            w.WriteNumber("total", list.Count);
            w.Write("sessoes", list);
        }), null));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> PutContentAsync(long conteudoId, NovoConteudo conteudo)
        => await WriteReplyAsync(StreamingEvents.ContentPut,
            await GrainFactory.GetGrain<IConteudoGrain>(StreamingKeys.Of(StreamingKeys.Contents, conteudoId)).PutAsync(conteudo));

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> GetContentAsync(long conteudoId)
    {
        var key = conteudoId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var conteudo = await GrainFactory.GetGrain<IConteudoPartitionGrain>(Partitioning.Of(key)).GetAsync(conteudoId);
        var outcome = conteudo is null ? Outcome<Conteudo>.NotFound($"Content {conteudoId} is not in the cache (never put, or expired).") : Outcome<Conteudo>.Ok(conteudo);
        return await ReplyAsync("obter_cache_conteudo", outcome, c => ("Conteúdo encontrado no cache", StreamingReplies.Body(w => w.Write("conteudo", c)), null));
    }

    /// <inheritdoc />
    public async Task<Outcome<StreamingReply>> ContentStatsAsync()
    {
        var stats = await Task.WhenAll(Enumerable.Range(0, Partitioning.Count).Select(p => GrainFactory.GetGrain<IConteudoPartitionGrain>(p).StatsAsync()));
        var total = new ConteudoStats(stats.Sum(s => s.Itens), stats.Sum(s => s.Hits), stats.Sum(s => s.Misses));
        return await ReplyAsync("obter_estatisticas_cache", Outcome<ConteudoStats>.Ok(total), s => ("Estatísticas do cache de conteúdo", StreamingReplies.Body(w =>
        {
            w.WriteNumber("itens", s.Itens);
            w.WriteNumber("hits", s.Hits);
            w.WriteNumber("misses", s.Misses);
            w.WriteNumber("hit_ratio", s.Hits + s.Misses == 0 ? 0 : Math.Round((double)s.Hits / (s.Hits + s.Misses), 4));
        }), null));
    }

    /// <inheritdoc />
    public Task RecordRefusalAsync(string eventType, int httpStatus, string detail)
        => RecordAsync(new StatusReply(CorrelationIdNow(), eventType, DateTimeOffset.UtcNow, "error", detail, null, httpStatus));

    /// <inheritdoc />
    public async Task<Outcome<StatusReply>> GetStatusAsync(string correlationId)
    {
        var notFound = Outcome<StatusReply>.NotFound($"No reply is recorded under '{correlationId}': the service never issued it, or it is older than {options.Value.StatusRetention.TotalDays:0.##} days.");
        if (!Guid.TryParse(correlationId, out _)) return notFound;
        if (await GrainFactory.GetGrain<IStatusPartitionGrain>(StatusPartitionGrain.Of(correlationId)).GetAsync(correlationId) is { } held) return Outcome<StatusReply>.Ok(held);
        // A write's reply is durable with the write: its event carries the correlation id.
        var events = await eventLog.FindByCorrelationAsync(correlationId, 1);
        return events.Count > 0 && events[0].Event.Timestamp >= DateTimeOffset.UtcNow - options.Value.StatusRetention && StreamingReplies.IsWrite(events[0].Event.Method)
            ? Outcome<StatusReply>.Ok(StreamingReplies.FromEvent(events[0].Event))
            : notFound;
    }

    private Task<Outcome<StreamingReply>> WriteReplyAsync<T>(string op, Outcome<T> outcome)
        => ReplyAsync(op, outcome, value => (StreamingReplies.MessageOf(op), StreamingReplies.WriteBody(op, StreamingJson.Write(value)), null));

    /// <summary>Shapes, records, publishes and logs the reply to operation <paramref name="op"/>.</summary>
    private async Task<Outcome<StreamingReply>> ReplyAsync<T>(string op, Outcome<T> outcome, Func<T, (string Message, string Body, string? ETag)> shape)
    {
        if (!outcome.Succeeded) return await RefuseAsync(op, outcome.As<StreamingReply>());
        var id = CorrelationIdNow();
        var now = DateTimeOffset.UtcNow;
        var (message, body, etag) = shape(outcome.Value!);
        await RecordAsync(new StatusReply(id, op, now, "success", message, body, 200));
        return Outcome<StreamingReply>.Ok(new StreamingReply(id, op, message, body, etag, now));
    }

    /// <summary>Records, publishes and logs the refusal of operation <paramref name="op"/>, and returns it.</summary>
    private async Task<Outcome<StreamingReply>> RefuseAsync(string op, Outcome<StreamingReply> refusal)
    {
        await RecordAsync(new StatusReply(CorrelationIdNow(), op, DateTimeOffset.UtcNow, "error", refusal.Detail ?? refusal.Kind.ToString(), null, HttpStatusOf(refusal.Kind)));
        return refusal;
    }

    private async Task RecordAsync(StatusReply reply)
    {
        await GrainFactory.GetGrain<IStatusPartitionGrain>(StatusPartitionGrain.Of(reply.CorrelationId)).RecordAsync(reply);
        LogReply(logger, reply.CorrelationId, reply.OriginalEventType, reply.Status, reply.Timestamp, reply.HttpStatus);
        try
        {
            _replies ??= this.GetStreamProvider(StreamingKeys.ReplyStreamProvider).GetStream<StatusReply>(StreamingKeys.ReplyStream);
            await _replies.OnNextAsync(reply);
        }
        catch (Exception e)
        {
            // The live stream is best effort (its subscribers catch up from /status); the reply is recorded.
            LogReplyNotPublished(logger, e, reply.CorrelationId);
        }
    }

    /// <summary>The correlation id of the request in progress (the HTTP API issues a UUID per request), or a new one.</summary>
    private static string CorrelationIdNow() => Correlation.Current is { } id && Guid.TryParse(id, out _) ? id : Guid.NewGuid().ToString();

    private static int HttpStatusOf(OutcomeKind kind) => kind switch
    {
        OutcomeKind.NotFound => 404,
        OutcomeKind.Conflict => 409,
        OutcomeKind.PreconditionFailed => 412,
        OutcomeKind.Invalid => 422,
        OutcomeKind.BadRequest => 400,
        OutcomeKind.Unavailable => 503,
        _ => 200,
    };

    private static string ETagOf(long version) => "\"" + version.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"";

    private async Task<long> NextIdAsync()
    {
        if (_nextId == 0 || _nextId >= _blockEnd)
        {
            var first = await GrainFactory.GetGrain<IUserIdAllocatorGrain>(0).AllocateAsync(IdBlock);
            if (_nextId == 0 || _nextId >= _blockEnd) (_nextId, _blockEnd) = (first, first + IdBlock);
        }
        return _nextId++;
    }

    private IUsuarioGrain User(long userId) => GrainFactory.GetGrain<IUsuarioGrain>(StreamingKeys.Of(StreamingKeys.Users, userId));

    private IVisualizacoesGrain Viewings(long userId) => GrainFactory.GetGrain<IVisualizacoesGrain>(StreamingKeys.Of(StreamingKeys.Viewings, userId));

    private IRecomendacoesGrain Recommendations(long userId) => GrainFactory.GetGrain<IRecomendacoesGrain>(StreamingKeys.Of(StreamingKeys.Recommendations, userId));

    private ISessoesGrain Sessions(long userId) => GrainFactory.GetGrain<ISessoesGrain>(StreamingKeys.Of(StreamingKeys.Sessions, userId));

    [LoggerMessage(Level = LogLevel.Information, EventName = "StreamingReply",
        Message = "transaction_id={TransactionId} event_type={EventType} status={Status} timestamp={Timestamp:o} http_status={HttpStatus}")]
    private static partial void LogReply(ILogger logger, string transactionId, string eventType, string status, DateTimeOffset timestamp, int httpStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} created (email {Email}, cpf {Cpf})")]
    private static partial void LogUserCreated(ILogger logger, long userId, string email, string cpf);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply {TransactionId} was recorded but not published on the reply stream")]
    private static partial void LogReplyNotPublished(ILogger logger, Exception exception, string transactionId);
}

/// <summary>How personal data appears in logs.</summary>
public static class Mask
{
    /// <summary><c>j***@example.com</c>.</summary>
    public static string Email(string email)
    {
        var at = email.IndexOf('@');
        return at <= 0 ? "***" : email[0] + "***" + email[at..];
    }

    /// <summary><c>***.***.***-09</c>: the check digits only.</summary>
    public static string Cpf(string cpf) => cpf.Length == 11 ? "***.***.***-" + cpf[9..] : "***";
}
