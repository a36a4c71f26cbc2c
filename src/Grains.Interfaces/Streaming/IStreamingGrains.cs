namespace InMemoryDb.Streaming;

/// <summary>
/// A user of the streaming platform, keyed <c>usuarios/{user_id}</c> (<see cref="StreamingKeys.Of"/>): the profile,
/// preferences and subscriptions, and the one place that decides whether the user exists. Users are never deleted,
/// so a user that exists always will.
/// </summary>
public interface IUsuarioGrain : IGrainWithStringKey, IUniqueValueHolder
{
    /// <summary>
    /// Creates the user from complete fields (reserving its email and CPF first): <see cref="OutcomeKind.Created"/>,
    /// <see cref="OutcomeKind.Conflict"/> when the id, email or CPF is taken (the detail names which), or
    /// <see cref="OutcomeKind.Invalid"/>. Create through <see cref="IStreamingGrain"/> to have missing fields generated.
    /// </summary>
    Task<Outcome<Usuario>> CreateAsync(NovoUsuario usuario);

    /// <summary>The user, or null when it does not exist.</summary>
    [ReadOnly]
    Task<Usuario?> GetAsync();

    /// <summary>Takes a subscription; an active one supersedes the active one (which stays in the history).</summary>
    Task<Outcome<Assinatura>> SubscribeAsync(NovaAssinatura assinatura);

    /// <summary>The active subscription and the history, newest first.</summary>
    [ReadOnly]
    Task<Outcome<Assinaturas>> GetSubscriptionsAsync();

    /// <summary>
    /// Merges the fields given into the preferences; with <paramref name="ifVersion"/>, only if it is the current
    /// version (<see cref="OutcomeKind.PreconditionFailed"/> otherwise).
    /// </summary>
    Task<Outcome<Preferencias>> SetPreferencesAsync(NovasPreferencias preferencias, long? ifVersion);

    /// <summary>The preferences (null value: none set yet).</summary>
    [ReadOnly]
    Task<Outcome<Preferencias?>> GetPreferencesAsync();
}

/// <summary>A user's payments, keyed <c>pagamentos/{user_id}</c>.</summary>
public interface IPagamentosGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records a payment. With an <paramref name="idempotencyKey"/> already used by this user, records nothing and
    /// returns the payment stored then (<see cref="PagamentoFeito.Repetido"/>), also for concurrent requests.
    /// </summary>
    Task<Outcome<PagamentoFeito>> PayAsync(NovoPagamento pagamento, string? idempotencyKey);

    /// <summary>The user's payments, newest first, at most <paramref name="limit"/>.</summary>
    Task<Outcome<IReadOnlyList<Pagamento>>> ListAsync(int limit);
}

/// <summary>A user's viewing history, keyed <c>historico/{user_id}</c>.</summary>
public interface IVisualizacoesGrain : IGrainWithStringKey
{
    /// <summary>Appends a viewing (one bounded segment written, never the whole history).</summary>
    Task<Outcome<Visualizacao>> RecordAsync(NovaVisualizacao visualizacao);

    /// <summary>The viewings matching the filters, newest first, at most <paramref name="limit"/> (1–100), and how many match.</summary>
    Task<Outcome<Historico>> GetAsync(string? tipo, bool? concluido, int limit);
}

/// <summary>A user's recommendations, keyed <c>recomendacoes/{user_id}</c>.</summary>
public interface IRecomendacoesGrain : IGrainWithStringKey
{
    /// <summary>Generates the list from the user's viewings and the catalogue and replaces the stored one atomically.</summary>
    Task<Outcome<Recomendacoes>> GenerateAsync();

    /// <summary>The stored list (null value: never generated).</summary>
    Task<Outcome<Recomendacoes?>> GetAsync();
}

/// <summary>A user's sessions, keyed <c>sessoes/{user_id}</c>.</summary>
public interface ISessoesGrain : IGrainWithStringKey
{
    /// <summary>Starts a session.</summary>
    Task<Outcome<Sessao>> StartAsync(NovaSessao sessao);

    /// <summary>Records activity on a session (404 when unknown; 409 when it has ended).</summary>
    Task<Outcome<Sessao>> TouchAsync(string sessionId);

    /// <summary>Ends a session (ending an ended session changes nothing).</summary>
    Task<Outcome<Sessao>> EndAsync(string sessionId);

    /// <summary>The user's sessions, newest first; only those still active with <paramref name="ativasApenas"/>.</summary>
    Task<Outcome<IReadOnlyList<Sessao>>> ListAsync(bool ativasApenas);
}

/// <summary>An item of the content catalogue, keyed <c>conteudos/{conteudo_id}</c>; its reads are served by the catalogue's partitions.</summary>
public interface IConteudoGrain : IGrainWithStringKey
{
    /// <summary>Puts the item (replacing the one stored), with an optional time to live.</summary>
    Task<Outcome<Conteudo>> PutAsync(NovoConteudo conteudo);
}
