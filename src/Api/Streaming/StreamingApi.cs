using InMemoryDb.Api.Http;
using InMemoryDb.Streaming;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Streaming;

/// <summary>
/// The streaming platform's routes, with the original service's paths, query parameters and answer shapes
/// (docs/api/streaming.md). Each request gets a correlation id the service issues (a UUID, the key of
/// <c>GET /status/{correlation_id}</c>); a client's own <c>X-Correlation-Id</c> is echoed, never used as that key.
/// Every rule lives in the grains (<see cref="IStreamingGrain"/>); these handlers only read parameters.
/// </summary>
public static class StreamingApi
{
    private const string Tag = "Streaming platform";

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapStreamingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags(Tag).AddEndpointFilter(static async (context, next) =>
        {
            // Issued here, for every platform request: the status key (unguessable) and the events' correlation id.
            var id = Guid.NewGuid().ToString();
            Correlation.Set(id);
            var http = context.HttpContext;
            http.Items[PlatformResults.CorrelationItem] = id;
            // The response's X-Correlation-Id echoes the client's own id; without one, it is the issued id.
            if (string.IsNullOrEmpty(http.Request.Headers[CorrelationId.Header])) http.Items[CorrelationId.Header] = id;
            return await next(context);
        });

        api.MapPost("/usuarios", CreateUserAsync).WithSummary("Create a user")
            .WithDescription("Fields (query or JSON body, all optional): user_id, nome, email, cpf. Left out: generated (a fresh id; an email and a valid CPF no other user has). " +
                             "409 when the id, email or CPF is taken. Example: curl -X POST http://localhost:8080/usuarios");
        api.MapGet("/usuarios", ListUsersAsync).WithSummary("List users in id order (paged: after, limit 1–1000, default 100)");
        api.MapGet("/usuarios/{user_id}", GetUserAsync).WithSummary("Read a user");
        api.MapPost("/usuarios/{user_id}/assinatura", SubscribeAsync).WithSummary("Take a subscription")
            .WithDescription("plano (Básico/Padrão/Premium), inicio and fim (AAAA-MM-DD), status (ativa/cancelada/expirada). An active one supersedes the active one. " +
                             "Example: curl -X POST http://localhost:8080/usuarios/1/assinatura");
        api.MapGet("/usuarios/{user_id}/assinatura", GetSubscriptionsAsync).WithSummary("The active subscription and the history");
        api.MapPost("/usuarios/{user_id}/pagamento", PayAsync).WithSummary("Make a payment")
            .WithDescription("valor (> 0, two decimals), forma_pagamento (Cartão/Pix/Boleto). With an Idempotency-Key header a retried payment is one payment: " +
                             "the same answer, one event.");
        api.MapGet("/usuarios/{user_id}/pagamentos", ListPaymentsAsync).WithSummary("The user's payments, newest first (limit 1–1000, default 100)");
        api.MapPost("/usuarios/{user_id}/config", SetPreferencesAsync).WithSummary("Change preferences (a merge; If-Match with the ETag: 412 when stale)")
            .WithDescription("idioma (pt-BR/en-US/es-ES/fr-FR), notificacoes (true/false), tema (escuro/claro/sistema). " +
                             "Example: curl -X POST 'http://localhost:8080/usuarios/1/config?idioma=pt-BR&notificacoes=true&tema=escuro'");
        api.MapGet("/usuarios/{user_id}/config", GetPreferencesAsync).WithSummary("The preferences, with their ETag");
        api.MapPost("/historico-visualizacao", RecordViewingAsync).WithSummary("Record a viewing")
            .WithDescription("user_id (required), conteudo_id, titulo, tipo (filme/série/documentário), tempo_assistido (minutes), posicao (0–100; concluido = posicao >= 90). " +
                             "Example: curl -X POST 'http://localhost:8080/historico-visualizacao?user_id=1&conteudo_id=5678'");
        api.MapGet("/historico-visualizacao/{user_id}", GetViewingsAsync).WithSummary("The viewing history, newest first (tipo, concluido, limit 1–100, default 10)");
        api.MapPost("/recomendacoes/gerar", GenerateRecommendationsAsync).WithSummary("Generate the user's recommendations (user_id), replacing the list");
        api.MapGet("/recomendacoes/{user_id}", GetRecommendationsAsync).WithSummary("The user's recommendations");
        api.MapPost("/sessoes", StartSessionAsync).WithSummary("Start a session (user_id, dispositivo: Android/iOS/Web/Smart TV/Console, localizacao)");
        api.MapPut("/sessoes/{session_id}/atividade", TouchSessionAsync).WithSummary("Record activity on a session (409 once it has ended)");
        api.MapDelete("/sessoes/{session_id}", EndSessionAsync).WithSummary("End a session");
        api.MapGet("/sessoes/usuario/{user_id}", ListSessionsAsync).WithSummary("The user's sessions (ativas_apenas, default true)");
        api.MapPost("/cache/conteudo/{conteudo_id}", PutContentAsync).WithSummary("Put a catalogue item")
            .WithDescription("titulo, tipo (filme/série/documentário), categoria, ttl_segundos (optional expiry); detalhes (a JSON object, body only). " +
                             "Example: curl -X POST http://localhost:8080/cache/conteudo/1001");
        api.MapGet("/cache/conteudo/{conteudo_id}", GetContentAsync).WithSummary("Read a catalogue item (a hit; 404 and a miss when missing or expired)");
        api.MapGet("/cache/stats", ContentStatsAsync).WithSummary("Catalogue size, hits and misses, summed over the cluster");
        api.MapGet("/status/{correlation_id}", GetStatusAsync).WithSummary("The reply recorded for a request (any API node; 404 for an id never issued or expired)");
        return app;
    }

    private static IStreamingGrain Platform(IGrainFactory grains) => grains.GetGrain<IStreamingGrain>(0);

    private static async Task<IResult> CreateUserAsync(HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await PlatformInput.ReadAsync(request);
        if (input is null) return await RefusedAsync(grains, StreamingEvents.UserCreated, problem!);
        var novo = new NovoUsuario(Id(input, "user_id"), input.Text("nome"), input.Text("email"), input.Text("cpf"));
        return await AnswerAsync(grains, StreamingEvents.UserCreated, input, () => Platform(grains).CreateUserAsync(novo));
    }

    private static async Task<IResult> ListUsersAsync(HttpRequest request, IGrainFactory grains)
    {
        var (input, _) = await PlatformInput.ReadAsync(request);
        var after = input!.Long("after") ?? 0;
        var limit = input.Int("limit") ?? 100;
        return await AnswerAsync(grains, "listar_usuarios", input, () => Platform(grains).ListUsersAsync(after, limit));
    }

    private static Task<IResult> GetUserAsync(string user_id, IGrainFactory grains)
        => WithUserAsync(grains, "obter_usuario", user_id, id => Platform(grains).GetUserAsync(id));

    private static async Task<IResult> SubscribeAsync(string user_id, HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await PlatformInput.ReadAsync(request);
        if (input is null) return await RefusedAsync(grains, StreamingEvents.Subscribed, problem!);
        var nova = new NovaAssinatura(input.Text("plano"), input.Date("inicio"), input.Date("fim"), input.Text("status"));
        return await WithUserAsync(grains, StreamingEvents.Subscribed, user_id, id => Platform(grains).SubscribeAsync(id, nova), input);
    }

    private static Task<IResult> GetSubscriptionsAsync(string user_id, IGrainFactory grains)
        => WithUserAsync(grains, "obter_assinatura", user_id, id => Platform(grains).GetSubscriptionsAsync(id));

    private static async Task<IResult> PayAsync(string user_id, HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await PlatformInput.ReadAsync(request);
        if (input is null) return await RefusedAsync(grains, StreamingEvents.Paid, problem!);
        var novo = new NovoPagamento(input.Decimal("valor"), input.Text("forma_pagamento"));
        var key = request.Headers["Idempotency-Key"].Count switch
        {
            0 => null,
            1 => request.Headers["Idempotency-Key"].ToString(),
            _ => "",
        };
        return await WithUserAsync(grains, StreamingEvents.Paid, user_id, id => Platform(grains).PayAsync(id, novo, key), input);
    }

    private static async Task<IResult> ListPaymentsAsync(string user_id, HttpRequest request, IGrainFactory grains)
    {
        var (input, _) = await PlatformInput.ReadAsync(request);
        var limit = input!.Int("limit") ?? 100;
        return await WithUserAsync(grains, "listar_pagamentos", user_id, id => Platform(grains).ListPaymentsAsync(id, limit), input);
    }

    private static async Task<IResult> SetPreferencesAsync(string user_id, HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await PlatformInput.ReadAsync(request);
        if (input is null) return await RefusedAsync(grains, StreamingEvents.PreferencesChanged, problem!);
        var novas = new NovasPreferencias(input.Text("idioma"), input.Bool("notificacoes"), input.Text("tema"));
        if (!ETags.TryParseIfMatch(request.Headers.IfMatch, out var version))
        {
            return await RefusedAsync(grains, StreamingEvents.PreferencesChanged,
                Problems.Of(StatusCodes.Status412PreconditionFailed, $"If-Match '{request.Headers.IfMatch}' names no version of these preferences."));
        }
        return await WithUserAsync(grains, StreamingEvents.PreferencesChanged, user_id, id => Platform(grains).SetPreferencesAsync(id, novas, version), input);
    }

    private static Task<IResult> GetPreferencesAsync(string user_id, IGrainFactory grains)
        => WithUserAsync(grains, "obter_config", user_id, id => Platform(grains).GetPreferencesAsync(id));

    private static async Task<IResult> RecordViewingAsync(HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await PlatformInput.ReadAsync(request);
        if (input is null) return await RefusedAsync(grains, StreamingEvents.Viewed, problem!);
        var userId = Id(input, "user_id", required: true);
        var nova = new NovaVisualizacao(Id(input, "conteudo_id"), input.Text("titulo"), input.Text("tipo"), input.Int("tempo_assistido"), input.Int("posicao"));
        return await AnswerAsync(grains, StreamingEvents.Viewed, input, () => Platform(grains).RecordViewingAsync(userId ?? 0, nova));
    }

    private static async Task<IResult> GetViewingsAsync(string user_id, HttpRequest request, IGrainFactory grains)
    {
        var (input, _) = await PlatformInput.ReadAsync(request);
        var tipo = input!.Text("tipo");
        var concluido = input.Bool("concluido");
        var limit = input.Int("limit") ?? 10;
        return await WithUserAsync(grains, "obter_historico_visualizacao", user_id, id => Platform(grains).GetViewingsAsync(id, tipo, concluido, limit), input);
    }

    private static async Task<IResult> GenerateRecommendationsAsync(HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await PlatformInput.ReadAsync(request);
        if (input is null) return await RefusedAsync(grains, StreamingEvents.Recommended, problem!);
        var userId = Id(input, "user_id", required: true);
        return await AnswerAsync(grains, StreamingEvents.Recommended, input, () => Platform(grains).GenerateRecommendationsAsync(userId ?? 0));
    }

    private static Task<IResult> GetRecommendationsAsync(string user_id, IGrainFactory grains)
        => WithUserAsync(grains, "obter_recomendacoes", user_id, id => Platform(grains).GetRecommendationsAsync(id));

    private static async Task<IResult> StartSessionAsync(HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await PlatformInput.ReadAsync(request);
        if (input is null) return await RefusedAsync(grains, StreamingEvents.SessionStarted, problem!);
        var userId = Id(input, "user_id", required: true);
        var nova = new NovaSessao(input.Text("dispositivo"), input.Text("localizacao"));
        return await AnswerAsync(grains, StreamingEvents.SessionStarted, input, () => Platform(grains).StartSessionAsync(userId ?? 0, nova));
    }

    private static Task<IResult> TouchSessionAsync(string session_id, IGrainFactory grains)
        => AnswerAsync(grains, StreamingEvents.SessionTouched, null, () => Platform(grains).TouchSessionAsync(session_id));

    private static Task<IResult> EndSessionAsync(string session_id, IGrainFactory grains)
        => AnswerAsync(grains, StreamingEvents.SessionEnded, null, () => Platform(grains).EndSessionAsync(session_id));

    private static async Task<IResult> ListSessionsAsync(string user_id, HttpRequest request, IGrainFactory grains)
    {
        var (input, _) = await PlatformInput.ReadAsync(request);
        var ativas = input!.Bool("ativas_apenas") ?? true;
        return await WithUserAsync(grains, "listar_sessoes_usuario", user_id, id => Platform(grains).ListSessionsAsync(id, ativas), input);
    }

    private static async Task<IResult> PutContentAsync(string conteudo_id, HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await PlatformInput.ReadAsync(request);
        if (input is null) return await RefusedAsync(grains, StreamingEvents.ContentPut, problem!);
        var novo = new NovoConteudo(input.Text("titulo"), input.Text("tipo"), input.Text("categoria"), input.Object("detalhes"), input.Int("ttl_segundos"));
        if (!StreamingKeys.TryParseId(conteudo_id, out var id)) return await RefusedAsync(grains, StreamingEvents.ContentPut, BadId("conteudo_id", conteudo_id));
        return await AnswerAsync(grains, StreamingEvents.ContentPut, input, () => Platform(grains).PutContentAsync(id, novo));
    }

    private static async Task<IResult> GetContentAsync(string conteudo_id, IGrainFactory grains)
    {
        if (!StreamingKeys.TryParseId(conteudo_id, out var id)) return await RefusedAsync(grains, "obter_cache_conteudo", BadId("conteudo_id", conteudo_id));
        return await AnswerAsync(grains, "obter_cache_conteudo", null, () => Platform(grains).GetContentAsync(id));
    }

    private static Task<IResult> ContentStatsAsync(IGrainFactory grains)
        => AnswerAsync(grains, "obter_estatisticas_cache", null, () => Platform(grains).ContentStatsAsync());

    private static async Task<IResult> GetStatusAsync(string correlation_id, IGrainFactory grains)
    {
        var outcome = await Platform(grains).GetStatusAsync(correlation_id);
        return outcome.Succeeded ? PlatformResults.Status(outcome.Value!) : Problems.From(outcome);
    }

    /// <summary>Runs <paramref name="call"/> for the user named in the path, or refuses a path that names none.</summary>
    private static async Task<IResult> WithUserAsync(IGrainFactory grains, string op, string userIdText, Func<long, Task<Outcome<StreamingReply>>> call, PlatformInput? input = null)
    {
        if (!StreamingKeys.TryParseId(userIdText, out var userId)) return await RefusedAsync(grains, op, BadId("user_id", userIdText));
        return await AnswerAsync(grains, op, input, () => call(userId));
    }

    /// <summary>Answers with the grain's reply, or refuses (422) fields that could not be read, recording the refusal.</summary>
    private static async Task<IResult> AnswerAsync(IGrainFactory grains, string op, PlatformInput? input, Func<Task<Outcome<StreamingReply>>> call)
    {
        if (input?.RefuseUnknownFields().Errors is { } errors) return await RefusedAsync(grains, op, Problems.Validation(errors));
        var outcome = await call();
        return outcome.Succeeded ? PlatformResults.Reply(outcome.Value!) : PlatformResults.Problem(Problems.From(outcome));
    }

    private static async Task<IResult> RefusedAsync(IGrainFactory grains, string op, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem)
    {
        await Platform(grains).RecordRefusalAsync(op, problem.StatusCode, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "Refused.");
        return PlatformResults.Problem(problem);
    }

    private static long? Id(PlatformInput input, string name, bool required = false)
    {
        var id = input.Long(name);
        if (id is { } given && given is < 1 or > StreamingKeys.MaxId) return InvalidId(input, name);
        if (id is null && required && input.Errors?.ContainsKey(name) != true) return InvalidId(input, name, "is required.");
        return id;
    }

    private static long? InvalidId(PlatformInput input, string name, string? message = null)
    {
        input.Refuse(name, message ?? $"must be a whole number from 1 to {StreamingKeys.MaxId}.");
        return null;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult BadId(string name, string text)
        => Problems.Validation(new Dictionary<string, string[]> { [name] = [$"'{text}' is not an id: a whole number from 1 to {StreamingKeys.MaxId}."] });
}
