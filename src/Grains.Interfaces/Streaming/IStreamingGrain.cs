namespace InMemoryDb.Streaming;

/// <summary>
/// A reply of the platform, as its routes answer and <c>GET /status/{correlation_id}</c> reads it back:
/// <c>{"mensagem": Message, "status": "success", ...BodyJson's members, "correlation_id", "status_url"}</c>.
/// </summary>
/// <param name="CorrelationId">The id the service issued for the request (for a repeated payment: the first request's).</param>
/// <param name="EventType">The operation (an event name of <see cref="StreamingEvents"/>, or a read such as <c>obter_usuario</c>).</param>
/// <param name="Message">What happened, in the original's words.</param>
/// <param name="BodyJson">A JSON object whose members are the result fields (e.g. <c>{"usuario": {...}}</c>).</param>
/// <param name="ETag">The version of a versioned entity (preferences), for If-Match.</param>
/// <param name="Timestamp">When the reply was made.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.reply")]
public sealed record StreamingReply(
    [property: Id(0)] string CorrelationId,
    [property: Id(1)] string EventType,
    [property: Id(2)] string Message,
    [property: Id(3)] string BodyJson,
    [property: Id(4)] string? ETag,
    [property: Id(5)] DateTimeOffset Timestamp);

/// <summary>
/// A request's recorded reply (the original's <c>response_events</c>): read at <c>GET /status/{correlation_id}</c> and
/// published live on <see cref="StreamingKeys.ReplyStreamProvider"/>'s stream <see cref="StreamingKeys.ReplyStream"/>.
/// </summary>
/// <param name="CorrelationId">The id the service issued.</param>
/// <param name="OriginalEventType">The operation.</param>
/// <param name="Timestamp">When it was answered.</param>
/// <param name="Status"><c>success</c> or <c>error</c>.</param>
/// <param name="Message">The reply's message (for an error, what was wrong).</param>
/// <param name="BodyJson">The result fields (a JSON object), or null for an error.</param>
/// <param name="HttpStatus">The HTTP status the request was answered with.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.streaming.status")]
public sealed record StatusReply(
    [property: Id(0)] string CorrelationId,
    [property: Id(1)] string OriginalEventType,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] string Status,
    [property: Id(4)] string Message,
    [property: Id(5)] string? BodyJson,
    [property: Id(6)] int HttpStatus);

/// <summary>
/// The platform's front door (a stateless worker: every silo answers locally). It runs each operation on the entity
/// grains, which hold the rules, shapes the reply, records it under the request's correlation id (set it with
/// <see cref="Correlation.Set"/> to an id the service issued: the HTTP API issues a UUID per request), publishes it
/// on the reply stream and logs it (email and CPF masked). Typed access to the entities: <see cref="IUsuarioGrain"/>
/// and its siblings.
/// </summary>
public interface IStreamingGrain : IGrainWithIntegerKey
{
    /// <summary>Creates a user, generating what is left out (a fresh id, a name, an email and a CPF no other user has).</summary>
    Task<Outcome<StreamingReply>> CreateUserAsync(NovoUsuario usuario);

    /// <summary>A user.</summary>
    Task<Outcome<StreamingReply>> GetUserAsync(long userId);

    /// <summary>Users in id order after <paramref name="after"/>, at most <paramref name="limit"/> (1–1000), from the index partitions.</summary>
    Task<Outcome<StreamingReply>> ListUsersAsync(long after, int limit);

    /// <summary>Takes a subscription.</summary>
    Task<Outcome<StreamingReply>> SubscribeAsync(long userId, NovaAssinatura assinatura);

    /// <summary>The active subscription and the history.</summary>
    Task<Outcome<StreamingReply>> GetSubscriptionsAsync(long userId);

    /// <summary>Makes a payment (one per idempotency key).</summary>
    Task<Outcome<StreamingReply>> PayAsync(long userId, NovoPagamento pagamento, string? idempotencyKey);

    /// <summary>The user's payments, newest first.</summary>
    Task<Outcome<StreamingReply>> ListPaymentsAsync(long userId, int limit);

    /// <summary>Merges preferences (with If-Match's version when given).</summary>
    Task<Outcome<StreamingReply>> SetPreferencesAsync(long userId, NovasPreferencias preferencias, long? ifVersion);

    /// <summary>The preferences.</summary>
    Task<Outcome<StreamingReply>> GetPreferencesAsync(long userId);

    /// <summary>Records a viewing.</summary>
    Task<Outcome<StreamingReply>> RecordViewingAsync(long userId, NovaVisualizacao visualizacao);

    /// <summary>The viewing history, newest first, filtered.</summary>
    Task<Outcome<StreamingReply>> GetViewingsAsync(long userId, string? tipo, bool? concluido, int limit);

    /// <summary>Generates the user's recommendations.</summary>
    Task<Outcome<StreamingReply>> GenerateRecommendationsAsync(long userId);

    /// <summary>The stored recommendations.</summary>
    Task<Outcome<StreamingReply>> GetRecommendationsAsync(long userId);

    /// <summary>Starts a session.</summary>
    Task<Outcome<StreamingReply>> StartSessionAsync(long userId, NovaSessao sessao);

    /// <summary>Records activity on a session.</summary>
    Task<Outcome<StreamingReply>> TouchSessionAsync(string sessionId);

    /// <summary>Ends a session.</summary>
    Task<Outcome<StreamingReply>> EndSessionAsync(string sessionId);

    /// <summary>The user's sessions.</summary>
    Task<Outcome<StreamingReply>> ListSessionsAsync(long userId, bool ativasApenas);

    /// <summary>Puts a catalogue item.</summary>
    Task<Outcome<StreamingReply>> PutContentAsync(long conteudoId, NovoConteudo conteudo);

    /// <summary>Reads a catalogue item (a hit or a miss of the catalogue's counters).</summary>
    Task<Outcome<StreamingReply>> GetContentAsync(long conteudoId);

    /// <summary>Catalogue size, hits and misses, summed over the cluster.</summary>
    Task<Outcome<StreamingReply>> ContentStatsAsync();

    /// <summary>Records the refusal of a request the front end could not even read (a malformed parameter), so its status reads back.</summary>
    Task RecordRefusalAsync(string eventType, int httpStatus, string detail);

    /// <summary>The reply recorded under <paramref name="correlationId"/>; <see cref="OutcomeKind.NotFound"/> when the service never issued it or it has expired.</summary>
    Task<Outcome<StatusReply>> GetStatusAsync(string correlationId);
}
