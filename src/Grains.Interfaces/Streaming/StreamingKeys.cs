using System.Globalization;
using Orleans.Runtime;

namespace InMemoryDb.Streaming;

/// <summary>
/// How the streaming platform's grains are keyed (<c>{scope}/{id}</c>, so index partitions can reload a scope from
/// storage) and the event names of its changes (the original's <c>user_events</c>).
/// </summary>
public static class StreamingKeys
{
    /// <summary>Users: <c>usuarios/{user_id}</c>.</summary>
    public const string Users = "usuarios";

    /// <summary>A user's payments: <c>pagamentos/{user_id}</c>.</summary>
    public const string Payments = "pagamentos";

    /// <summary>A user's viewings: <c>historico/{user_id}</c>.</summary>
    public const string Viewings = "historico";

    /// <summary>A user's recommendations: <c>recomendacoes/{user_id}</c>.</summary>
    public const string Recommendations = "recomendacoes";

    /// <summary>A user's sessions: <c>sessoes/{user_id}</c>.</summary>
    public const string Sessions = "sessoes";

    /// <summary>Content catalogue items: <c>conteudos/{conteudo_id}</c>.</summary>
    public const string Contents = "conteudos";

    /// <summary>The scope of the users' unique values (email, CPF) among reservations; no table can have this name.</summary>
    public const string UniqueScope = "streaming-usuarios";

    /// <summary>The stream provider of the platform's replies (the original's <c>response_events</c>).</summary>
    public const string ReplyStreamProvider = "replies";

    /// <summary>The stream carrying every reply (<see cref="StatusReply"/>), live only: subscribe before the requests.</summary>
    public static readonly StreamId ReplyStream = StreamId.Create("response_events", "all");

    /// <summary>The prefix of the platform's grain types: the event log finds a request's events among theirs by correlation id.</summary>
    public const string GrainTypePrefix = "streaming-";

    /// <summary>The largest user or content id (2^53 − 1: exact as a JSON number everywhere).</summary>
    public const long MaxId = 9_007_199_254_740_991;

    /// <summary>The grain key of <paramref name="id"/> in <paramref name="scope"/>.</summary>
    public static string Of(string scope, long id) => scope + "/" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The id of a grain key made by <see cref="Of"/>, or 0 when it is not one.</summary>
    public static long IdOf(string grainKey)
    {
        var slash = grainKey.IndexOf('/');
        return slash > 0 && long.TryParse(grainKey.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is > 0 and <= MaxId ? id : 0;
    }

    /// <summary>Reads an id given as text (a route or query value); false unless it is a whole number 1 … <see cref="MaxId"/>.</summary>
    public static bool TryParseId(string? text, out long id)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id is > 0 and <= MaxId;

    /// <summary>
    /// A session id names its user (<c>{user_id}-{32 hex digits}</c>), so the user's session grain is found without a
    /// lookup; the random part makes it unguessable.
    /// </summary>
    public static string NewSessionId(long userId) => userId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");

    /// <summary>The user a session id names; false when the text is not a session id.</summary>
    public static bool TryParseSessionId(string? text, out long userId)
    {
        userId = 0;
        if (text is null) return false;
        var dash = text.IndexOf('-');
        return dash > 0 && text.Length - dash - 1 == 32 && IsHex(text.AsSpan(dash + 1)) && TryParseId(text[..dash], out userId);
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) return false;
        }
        return true;
    }
}

/// <summary>The event names of the platform's changes (the original's <c>user_events</c> topic), and of its reads.</summary>
public static class StreamingEvents
{
    /// <summary>A user was created.</summary>
    public const string UserCreated = "criar_usuario";

    /// <summary>A subscription was taken (superseding the active one).</summary>
    public const string Subscribed = "atualizar_assinatura";

    /// <summary>A payment was made.</summary>
    public const string Paid = "pagamento_realizado";

    /// <summary>Preferences were changed.</summary>
    public const string PreferencesChanged = "atualizar_config";

    /// <summary>A viewing was recorded.</summary>
    public const string Viewed = "registrar_visualizacao";

    /// <summary>A user's recommendations were generated (the list replaced).</summary>
    public const string Recommended = "gerar_recomendacoes";

    /// <summary>A session was started.</summary>
    public const string SessionStarted = "criar_sessao";

    /// <summary>A session's activity was recorded.</summary>
    public const string SessionTouched = "atualizar_atividade_sessao";

    /// <summary>A session was ended.</summary>
    public const string SessionEnded = "encerrar_sessao";

    /// <summary>A content item was put in the catalogue.</summary>
    public const string ContentPut = "cache_conteudo";
}

/// <summary>The values the platform's enumerated fields accept (stored in Unicode NFC).</summary>
public static class StreamingValues
{
    /// <summary>The active subscription status.</summary>
    public const string Ativa = "ativa";

    /// <summary>The status of a subscription another one superseded.</summary>
    public const string Substituida = "substituida";

    /// <summary>Subscription plans.</summary>
    public static readonly string[] Planos = ["Básico", "Padrão", "Premium"];

    /// <summary>Statuses a new subscription may be given.</summary>
    public static readonly string[] StatusAssinatura = [Ativa, "cancelada", "expirada"];

    /// <summary>Payment methods.</summary>
    public static readonly string[] FormasPagamento = ["Cartão", "Pix", "Boleto"];

    /// <summary>Languages.</summary>
    public static readonly string[] Idiomas = ["pt-BR", "en-US", "es-ES", "fr-FR"];

    /// <summary>Themes.</summary>
    public static readonly string[] Temas = ["escuro", "claro", "sistema"];

    /// <summary>Content types.</summary>
    public static readonly string[] Tipos = ["filme", "série", "documentário"];

    /// <summary>Session devices.</summary>
    public static readonly string[] Dispositivos = ["Android", "iOS", "Web", "Smart TV", "Console"];

    /// <summary>A viewing at or past this position (percent) is complete.</summary>
    public const int ConcluidoAPartirDe = 90;
}
