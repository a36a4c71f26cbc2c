using System.Net;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Api;

/// <summary>The streaming platform's routes on the embedded API: the original's curl examples, its rules and its refusals.</summary>
[Collection(ApiCollection.Name)]
public sealed class StreamingApiTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task TheOriginalCurlExamplesWorkAsWritten()
    {
        // curl -X POST "http://localhost:8000/usuarios": no body, no Content-Type.
        var created = await Client.OkAsync(HttpMethod.Post, "/usuarios");
        var usuario = created["usuario"]!;
        var userId = usuario.Id();
        Assert.True(userId > 0);
        Assert.Matches("^[0-9]{11}$", (string)usuario["cpf"]!);
        Assert.Contains("@", (string)usuario["email"]!);
        Assert.False(string.IsNullOrWhiteSpace((string)usuario["nome"]!));
        Assert.True(DateTimeOffset.TryParse((string)usuario["data_criacao"]!, out _));

        // curl -X POST "http://localhost:8000/usuarios/1234/assinatura"
        var assinatura = (await Client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/assinatura"))["assinatura"]!;
        Assert.Contains((string)assinatura["plano"]!, new[] { "Básico", "Padrão", "Premium" });
        Assert.Equal("ativa", (string)assinatura["status"]!);
        Assert.Equal(DateOnly.Parse((string)assinatura["inicio"]!).AddDays(30), DateOnly.Parse((string)assinatura["fim"]!));

        // curl "http://localhost:8000/status/{correlation_id}"
        var status = await (await Client.GetAsync((string)created["status_url"]!)).JsonAsync();
        Assert.Equal("response", (string)status["event_type"]!);
        Assert.Equal("criar_usuario", (string)status["original_event_type"]!);
        Assert.Equal("success", (string)status["status"]!);
        Assert.Equal(userId, status["usuario"]!.Id());

        // curl -X POST "http://localhost:8000/historico-visualizacao?user_id=1234&conteudo_id=5678"
        var visualizacao = (await Client.OkAsync(HttpMethod.Post, $"/historico-visualizacao?user_id={userId}&conteudo_id=5678"))["visualizacao"]!;
        Assert.Equal(5678, (long)visualizacao["conteudo_id"]!);
        var posicao = (int)visualizacao["posicao"]!;
        Assert.Equal(posicao >= 90, (bool)visualizacao["concluido"]!);

        // curl -X POST "http://localhost:8000/cache/conteudo/1001"
        var conteudoId = Random.Shared.NextInt64(1_000_000, 9_000_000_000);
        var conteudo = (await Client.OkAsync(HttpMethod.Post, $"/cache/conteudo/{conteudoId}"))["conteudo"]!;
        Assert.Equal(conteudoId, (long)conteudo["conteudo_id"]!);
        Assert.Equal((string)conteudo["titulo"]!, (string)(await Client.OkAsync(HttpMethod.Get, $"/cache/conteudo/{conteudoId}"))["conteudo"]!["titulo"]!);

        // One event per change, named as the original's user_events, carrying the reply's correlation id.
        var events = await Client.AllEventsAsync(e => (string)e["key"]! == userId.ToString() && ((string)e["entity"]! is "usuarios" or "historico"));
        Assert.Equal(["criar_usuario", "atualizar_assinatura", "registrar_visualizacao"], events.Select(e => (string)e["method"]!));
        Assert.Equal((string)created["correlation_id"]!, (string)events[0]["correlation_id"]!);
    }

    [Fact]
    public async Task GivenFieldsAreUsedExactlyAndAccentsAreStoredInNfc()
    {
        var cpf = Platform.NewCpf();
        var email = $"maria.{Guid.NewGuid():N}@example.com";
        var punctuated = $"{cpf[..3]}.{cpf[3..6]}.{cpf[6..9]}-{cpf[9..]}";
        var usuario = (await Client.OkAsync(HttpMethod.Post, "/usuarios", Http.Json($$"""{"nome": "Maria José", "email": "{{email}}", "cpf": "{{punctuated}}"}""")))["usuario"]!;
        Assert.Equal("Maria José", (string)usuario["nome"]!);
        Assert.Equal(email, (string)usuario["email"]!);
        Assert.Equal(cpf, (string)usuario["cpf"]!);
        var userId = usuario.Id();

        // config: the original ignored these and invented values; here they are stored exactly.
        var config = await Client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/config?idioma=fr-FR&notificacoes=false&tema=claro");
        Assert.Equal("fr-FR", (string)config["config"]!["idioma"]!);
        Assert.False((bool)config["config"]!["notificacoes"]!);
        Assert.Equal("claro", (string)config["config"]!["tema"]!);

        // "Básico" and "série" sent decomposed (NFD) are the same values, stored composed (NFC).
        var nfd = "Ba\u0301sico";
        Assert.NotEqual("Básico", nfd);
        var assinatura = (await Client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/assinatura?plano={Uri.EscapeDataString(nfd)}&inicio=2026-01-01&fim=2026-12-31"))["assinatura"]!;
        Assert.Equal("Básico", (string)assinatura["plano"]!);
        Assert.Equal("2026-12-31", (string)assinatura["fim"]!);
        var serie = "se\u0301rie";
        var visualizacao = (await Client.OkAsync(HttpMethod.Post, "/historico-visualizacao",
            Http.Json($$"""{"user_id": {{userId}}, "conteudo_id": 77, "titulo": "Dark", "tipo": "{{serie}}", "tempo_assistido": 50, "posicao": 90}""")))["visualizacao"]!;
        Assert.Equal("série", (string)visualizacao["tipo"]!);
        Assert.True((bool)visualizacao["concluido"]!);
        Assert.Equal(50, (int)visualizacao["tempo_assistido"]!);

        var read = (await Client.OkAsync(HttpMethod.Get, $"/usuarios/{userId}"))["usuario"]!;
        Assert.Equal(email, (string)read["email"]!);
    }

    [Fact]
    public async Task ConcurrentCreatesWithOneEmailOrCpfGiveOneUser()
    {
        var email = $"dup.{Guid.NewGuid():N}@example.com";
        var emailRace = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.PostAsync("/usuarios", Http.Json($$"""{"email": "{{email}}"}"""))));
        Assert.Single(emailRace, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(emailRace.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        // Uniqueness ignores case.
        await (await Client.PostAsync("/usuarios", Http.Json($$"""{"email": "{{email.ToUpperInvariant()}}"}"""))).AssertProblemAsync(409);

        var cpf = Platform.NewCpf();
        var cpfRace = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.PostAsync($"/usuarios?cpf={cpf}", null)));
        Assert.Single(cpfRace, r => r.StatusCode == HttpStatusCode.OK);
        var problem = await cpfRace.First(r => r.StatusCode != HttpStatusCode.OK).AssertProblemAsync(409);
        Assert.True(Guid.TryParse((string)problem["correlation_id"]!, out _));

        // A given user id that exists is a conflict too.
        var existing = (await Client.NewUserAsync()).Id();
        await (await Client.PostAsync($"/usuarios?user_id={existing}", null)).AssertProblemAsync(409);
        var chosen = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000_000);
        Assert.Equal(chosen, (await Client.NewUserAsync($"?user_id={chosen}")).Id());
    }

    [Fact]
    public async Task ConcurrentSubscriptionsLeaveExactlyOneActive()
    {
        var userId = (await Client.NewUserAsync()).Id();
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/assinatura?plano=Premium")));
        var subscriptions = await Client.OkAsync(HttpMethod.Get, $"/usuarios/{userId}/assinatura");
        var history = subscriptions["historico"]!.AsArray();
        Assert.Equal(10, history.Count);
        Assert.Single(history, a => (string)a!["status"]! == "ativa");
        Assert.Equal(9, history.Count(a => (string)a!["status"]! == "substituida"));
        Assert.Equal((string)history[0]!["id"]!, (string)subscriptions["atual"]!["id"]!);
        Assert.Contains(answers, a => (string)a["assinatura"]!["id"]! == (string)subscriptions["atual"]!["id"]!);
    }

    [Fact]
    public async Task ARetriedPaymentWithTheSameIdempotencyKeyIsOnePayment()
    {
        var userId = (await Client.NewUserAsync()).Id();
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor=29.90&forma_pagamento=Pix", null, ("Idempotency-Key", key))));
        Assert.Single(answers.Select(a => (string)a["pagamento"]!["id"]!).Distinct());
        Assert.Single(answers.Select(a => (string)a["correlation_id"]!).Distinct());
        Assert.Equal(29.90m, (decimal)answers[0]["pagamento"]!["valor"]!);

        // Another key is another payment; the same key with another amount is refused.
        await Client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/pagamento", Http.Json("""{"valor": 10.5, "forma_pagamento": "Cartão"}"""), ("Idempotency-Key", key + "-b"));
        await (await Client.SendAsync(HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor=31.00", null, ("Idempotency-Key", key))).AssertProblemAsync(409);

        var payments = await Client.OkAsync(HttpMethod.Get, $"/usuarios/{userId}/pagamentos");
        Assert.Equal(2, (int)payments["total"]!);
        Assert.Equal(10.5m, (decimal)payments["pagamentos"]![0]!["valor"]!);
        Assert.Equal(2, (await Client.EventMethodsAsync("pagamentos", userId.ToString())).Count);
    }

    [Fact]
    public async Task ConcurrentGenerationsLeaveOneListDrawnFromTheCatalogue()
    {
        var userId = (await Client.NewUserAsync()).Id();
        // Three documentaries watched (one to the end): 6 documentaries recommended, none of them the finished one.
        var finished = Random.Shared.NextInt64(100_000_000, 900_000_000);
        for (var i = 0; i < 3; i++)
        {
            await Client.OkAsync(HttpMethod.Post, $"/historico-visualizacao?user_id={userId}&tipo=document%C3%A1rio&conteudo_id={finished + i}&posicao={(i == 0 ? 95 : 20)}");
        }
        for (var i = 0; i < 12; i++)
        {
            await Client.OkAsync(HttpMethod.Post, $"/cache/conteudo/{finished + i}?tipo=document%C3%A1rio&titulo=Doc{i}");
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Client.OkAsync(HttpMethod.Post, $"/recomendacoes/gerar?user_id={userId}")));
        var stored = (await Client.OkAsync(HttpMethod.Get, $"/recomendacoes/{userId}"))["recomendacoes"]!;
        Assert.Contains(answers, a => (string)a["recomendacoes"]!["data_geracao"]! == (string)stored["data_geracao"]!);
        var itens = stored["itens"]!.AsArray();
        Assert.Equal(6, itens.Count);
        Assert.Equal(6, (int)answers[0]["total_recomendacoes"]!);
        Assert.All(itens, i => Assert.Equal("documentário", (string)i!["tipo"]!));
        Assert.DoesNotContain(itens, i => (long)i!["conteudo_id"]! == finished);
        // Deterministic for the same viewings and catalogue (other tests' items are other types or expire: compare ids only among ours).
        var ids = answers.Select(a => string.Join(',', a["recomendacoes"]!["itens"]!.AsArray().Select(i => (long)i!["conteudo_id"]!))).Distinct();
        Assert.Single(ids);
    }

    [Fact]
    public async Task UserScopedWritesForAMissingUserAre404AndLogNothing()
    {
        var missing = Random.Shared.NextInt64(8_000_000_000_000, 9_000_000_000_000);
        var routes = new (HttpMethod Method, string Url)[]
        {
            (HttpMethod.Post, $"/usuarios/{missing}/assinatura"),
            (HttpMethod.Post, $"/usuarios/{missing}/pagamento"),
            (HttpMethod.Post, $"/usuarios/{missing}/config?tema=escuro"),
            (HttpMethod.Post, $"/historico-visualizacao?user_id={missing}"),
            (HttpMethod.Post, $"/recomendacoes/gerar?user_id={missing}"),
            (HttpMethod.Post, $"/sessoes?user_id={missing}"),
            (HttpMethod.Get, $"/usuarios/{missing}"),
            (HttpMethod.Get, $"/historico-visualizacao/{missing}"),
            (HttpMethod.Get, $"/sessoes/usuario/{missing}"),
            (HttpMethod.Get, $"/recomendacoes/{missing}"),
            (HttpMethod.Get, $"/usuarios/{missing}/pagamentos"),
        };
        foreach (var (method, url) in routes)
        {
            var problem = await (await Client.SendAsync(method, url)).AssertProblemAsync(404);
            // The refusal is recorded too: its status reads back as an error.
            var status = await (await Client.GetAsync((string)problem["status_url"]!)).JsonAsync();
            Assert.Equal("error", (string)status["status"]!);
            Assert.Equal(404, (int)status["http_status"]!);
        }
        Assert.Empty(await Client.AllEventsAsync(e => (string)e["key"]! == missing.ToString()));
    }

    [Fact]
    public async Task BadInputOnEveryRouteIsRefusedNever500()
    {
        var userId = (await Client.NewUserAsync()).Id();
        var cases = new (HttpMethod Method, string Url, string? Body, int Status)[]
        {
            (HttpMethod.Post, "/usuarios?email=not-an-email", null, 422),
            (HttpMethod.Post, "/usuarios?cpf=12345678900", null, 422),
            (HttpMethod.Post, "/usuarios?cpf=11111111111", null, 422),
            (HttpMethod.Post, "/usuarios?user_id=0", null, 422),
            (HttpMethod.Post, "/usuarios?user_id=abc", null, 422),
            (HttpMethod.Post, "/usuarios?user_id=99999999999999999999", null, 422),
            (HttpMethod.Post, "/usuarios", """{"nome": 5}""", 422),
            (HttpMethod.Post, "/usuarios", """{"nome": "x", "idade": 3}""", 422),
            (HttpMethod.Post, "/usuarios", """[1, 2]""", 400),
            (HttpMethod.Post, "/usuarios", """{"nome": """, 400),
            (HttpMethod.Post, "/usuarios?nome=a", """{"nome": "b"}""", 422),
            (HttpMethod.Post, $"/usuarios/{userId}/assinatura?plano=Gold", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/assinatura?inicio=2026-02-30", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/assinatura?inicio=2026-05-01&fim=2026-04-01", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/assinatura?status=pendente", null, 422),
            (HttpMethod.Post, "/usuarios/abc/assinatura", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor=0", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor=-5", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor=10.999", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor=dez", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/pagamento?forma_pagamento=Cheque", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/config?idioma=de-DE", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/config?notificacoes=sim", null, 422),
            (HttpMethod.Post, $"/usuarios/{userId}/config?tema=azul", null, 422),
            (HttpMethod.Post, "/historico-visualizacao", null, 422),
            (HttpMethod.Post, $"/historico-visualizacao?user_id={userId}&posicao=101", null, 422),
            (HttpMethod.Post, $"/historico-visualizacao?user_id={userId}&tipo=novela", null, 422),
            (HttpMethod.Post, $"/historico-visualizacao?user_id={userId}&tempo_assistido=-1", null, 422),
            (HttpMethod.Post, $"/historico-visualizacao?user_id={userId}&conteudo_id=-1", null, 422),
            (HttpMethod.Get, $"/historico-visualizacao/{userId}?limit=0", null, 422),
            (HttpMethod.Get, $"/historico-visualizacao/{userId}?limit=101", null, 422),
            (HttpMethod.Get, $"/historico-visualizacao/{userId}?concluido=talvez", null, 422),
            (HttpMethod.Get, $"/historico-visualizacao/{userId}?tipo=novela", null, 422),
            (HttpMethod.Post, "/recomendacoes/gerar", null, 422),
            (HttpMethod.Post, "/sessoes", null, 422),
            (HttpMethod.Post, $"/sessoes?user_id={userId}&dispositivo=Fax", null, 422),
            (HttpMethod.Put, "/sessoes/not-a-session/atividade", null, 404),
            (HttpMethod.Delete, $"/sessoes/{userId}-00000000000000000000000000000000", null, 404),
            (HttpMethod.Get, $"/sessoes/usuario/{userId}?ativas_apenas=2", null, 422),
            (HttpMethod.Post, "/cache/conteudo/abc", null, 422),
            (HttpMethod.Post, "/cache/conteudo/5?tipo=podcast", null, 422),
            (HttpMethod.Post, "/cache/conteudo/5?ttl_segundos=0", null, 422),
            (HttpMethod.Post, "/cache/conteudo/5", """{"detalhes": [1]}""", 422),
            (HttpMethod.Post, "/cache/conteudo/5?detalhes=x", null, 422),
            (HttpMethod.Get, "/cache/conteudo/0", null, 422),
            (HttpMethod.Get, $"/status/{Guid.NewGuid()}", null, 404),
            (HttpMethod.Get, "/status/not-a-uuid", null, 404),
            (HttpMethod.Get, "/usuarios?limit=0", null, 422),
            (HttpMethod.Get, "/usuarios?after=-1", null, 422),
        };
        foreach (var (method, url, body, status) in cases)
        {
            var response = await Client.SendAsync(method, url, body is null ? null : Http.Json(body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{method} {url} {body}: expected {status}, got {(int)response.StatusCode}: {text}");
        }
        // Nothing was changed for the user by the refused writes.
        Assert.Equal(["criar_usuario"], await Client.EventMethodsAsync("usuarios", userId.ToString()));
        Assert.Empty(await Client.EventMethodsAsync("pagamentos", userId.ToString()));
    }

    [Fact]
    public async Task PreferencesAreAVersionedMerge()
    {
        var userId = (await Client.NewUserAsync()).Id();
        var none = await Client.SendAsync(HttpMethod.Get, $"/usuarios/{userId}/config");
        Assert.Equal("\"0\"", none.ETag());
        Assert.Null((await none.JsonAsync())["config"]);

        var first = await Client.SendAsync(HttpMethod.Post, $"/usuarios/{userId}/config?idioma=es-ES&notificacoes=true&tema=escuro", null, ("If-Match", "\"0\""));
        Assert.Equal("\"1\"", first.ETag());
        // Only the field given changes.
        var second = await Client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/config?tema=sistema", null, ("If-Match", "\"1\""));
        Assert.Equal("es-ES", (string)second["config"]!["idioma"]!);
        Assert.Equal("sistema", (string)second["config"]!["tema"]!);
        Assert.Equal(2, (long)second["config"]!["versao"]!);
        // A stale version is refused and changes nothing.
        await (await Client.SendAsync(HttpMethod.Post, $"/usuarios/{userId}/config?tema=claro", null, ("If-Match", "\"1\""))).AssertProblemAsync(412);
        await (await Client.SendAsync(HttpMethod.Post, $"/usuarios/{userId}/config?tema=claro", null, ("If-Match", "garbage"))).AssertProblemAsync(412);
        Assert.Equal("sistema", (string)(await Client.OkAsync(HttpMethod.Get, $"/usuarios/{userId}/config"))["config"]!["tema"]!);
    }

    [Fact]
    public async Task ViewingsAreNewestFirstFilteredAndSurviveSegmentSealing()
    {
        var userId = (await Client.NewUserAsync()).Id();
        // 70 viewings: two sealed segments of 32 and an open one.
        for (var i = 0; i < 70; i++)
        {
            var tipo = i % 2 == 0 ? "filme" : "s%C3%A9rie";
            await Client.OkAsync(HttpMethod.Post, $"/historico-visualizacao?user_id={userId}&conteudo_id={i + 1}&tipo={tipo}&posicao={(i % 5 == 0 ? 100 : 50)}");
        }
        var all = await Client.OkAsync(HttpMethod.Get, $"/historico-visualizacao/{userId}?limit=100");
        Assert.Equal(70, (int)all["total"]!);
        Assert.Equal(Enumerable.Range(1, 70).Reverse().Select(i => (long)i), all["historico"]!.AsArray().Select(v => (long)v!["conteudo_id"]!));
        var defaultPage = await Client.OkAsync(HttpMethod.Get, $"/historico-visualizacao/{userId}");
        Assert.Equal(10, defaultPage["historico"]!.AsArray().Count);

        var films = await Client.OkAsync(HttpMethod.Get, $"/historico-visualizacao/{userId}?tipo=filme&concluido=true&limit=3");
        Assert.Equal(7, (int)films["total"]!); // i even and i % 5 == 0: 0, 10, …, 60
        Assert.Equal([61L, 51L, 41L], films["historico"]!.AsArray().Select(v => (long)v!["conteudo_id"]!));
        Assert.Equal(70, (await Client.EventMethodsAsync("historico", userId.ToString())).Count(m => m == "registrar_visualizacao"));
    }

    [Fact]
    public async Task SessionsStartTouchEndAndList()
    {
        var userId = (await Client.NewUserAsync()).Id();
        var sessao = (await Client.OkAsync(HttpMethod.Post, $"/sessoes?user_id={userId}&dispositivo=Smart%20TV&localizacao=Recife"))["sessao"]!;
        var id = (string)sessao["session_id"]!;
        Assert.True((bool)sessao["ativa"]!);
        Assert.Equal("Smart TV", (string)sessao["dispositivo"]!);
        var other = (string)(await Client.OkAsync(HttpMethod.Post, $"/sessoes?user_id={userId}"))["sessao"]!["session_id"]!;

        var touched = (await Client.OkAsync(HttpMethod.Put, $"/sessoes/{id}/atividade"))["sessao"]!;
        Assert.True(DateTimeOffset.Parse((string)touched["ultima_atividade"]!) >= DateTimeOffset.Parse((string)sessao["ultima_atividade"]!));
        var ended = (await Client.OkAsync(HttpMethod.Delete, $"/sessoes/{id}"))["sessao"]!;
        Assert.False((bool)ended["ativa"]!);
        Assert.NotNull((string?)ended["encerrada_em"]);
        await (await Client.SendAsync(HttpMethod.Put, $"/sessoes/{id}/atividade")).AssertProblemAsync(409);
        // Ending again changes nothing (no second event).
        await Client.OkAsync(HttpMethod.Delete, $"/sessoes/{id}");

        var active = await Client.OkAsync(HttpMethod.Get, $"/sessoes/usuario/{userId}");
        Assert.Equal([other], active["sessoes"]!.AsArray().Select(s => (string)s!["session_id"]!));
        var every = await Client.OkAsync(HttpMethod.Get, $"/sessoes/usuario/{userId}?ativas_apenas=false");
        Assert.Equal(2, (int)every["total"]!);
        Assert.Equal(["criar_sessao", "atualizar_atividade_sessao", "encerrar_sessao"], await Client.EventMethodsAsync("sessoes", id));
    }

    [Fact]
    public async Task CatalogueItemsKeepDetailsExpireAndCountHitsAndMisses()
    {
        var id = Random.Shared.NextInt64(10_000_000_000, 90_000_000_000);
        var before = await Client.OkAsync(HttpMethod.Get, "/cache/stats");
        var put = (await Client.OkAsync(HttpMethod.Post, $"/cache/conteudo/{id}",
            Http.Json("""{"titulo": "Cidade de Deus", "tipo": "filme", "categoria": "Drama", "detalhes": {"ano": 2002, "elenco": ["Alexandre Rodrigues"]}}""")))["conteudo"]!;
        Assert.Equal(2002, (int)put["detalhes"]!["ano"]!);
        var read = (await Client.OkAsync(HttpMethod.Get, $"/cache/conteudo/{id}"))["conteudo"]!;
        Assert.Equal("Cidade de Deus", (string)read["titulo"]!);
        Assert.Equal("Alexandre Rodrigues", (string)read["detalhes"]!["elenco"]![0]!);
        await (await Client.GetAsync($"/cache/conteudo/{id + 1}")).AssertProblemAsync(404);

        var after = await Client.OkAsync(HttpMethod.Get, "/cache/stats");
        Assert.True((long)after["hits"]! >= (long)before["hits"]! + 1);
        Assert.True((long)after["misses"]! >= (long)before["misses"]! + 1);

        // A one-second item is neither served nor counted once it has expired.
        await Client.OkAsync(HttpMethod.Post, $"/cache/conteudo/{id + 2}?ttl_segundos=1");
        await Client.OkAsync(HttpMethod.Get, $"/cache/conteudo/{id + 2}");
        await Eventually.Poll(async () => (await Client.GetAsync($"/cache/conteudo/{id + 2}")).StatusCode, s => s == HttpStatusCode.NotFound, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task UsersAreListedInIdOrderPageByPage()
    {
        var created = new List<long>();
        for (var i = 0; i < 5; i++) created.Add((await Client.NewUserAsync()).Id());
        var seen = new List<long>();
        var after = created[0] - 1;
        while (true)
        {
            var page = await Client.OkAsync(HttpMethod.Get, $"/usuarios?after={after}&limit=2");
            var ids = page["usuarios"]!.AsArray().Select(u => (long)u!["user_id"]!).ToList();
            Assert.True(ids.Count <= 2);
            Assert.Equal(ids.Order(), ids);
            seen.AddRange(ids);
            if (page["proximo"] is null) break;
            after = (long)page["proximo"]!;
            Assert.Equal(ids[^1], after);
        }
        Assert.Subset(seen.ToHashSet(), created.ToHashSet());
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.True((long)(await Client.OkAsync(HttpMethod.Get, "/usuarios?limit=1"))["total"]! >= 5);
    }

    [Fact]
    public async Task ReadsRecordTheirReplyUnderTheIssuedCorrelationIdNotTheClients()
    {
        var userId = (await Client.NewUserAsync()).Id();
        var response = await Client.SendAsync(HttpMethod.Get, $"/usuarios/{userId}", null, ("X-Correlation-Id", "client-chosen-id"));
        var reply = await response.JsonAsync();
        // The client's id is echoed for tracing; the status key is the service's UUID.
        Assert.Equal("client-chosen-id", response.Headers.GetValues("X-Correlation-Id").Single());
        var issued = (string)reply["correlation_id"]!;
        Assert.NotEqual("client-chosen-id", issued);
        var status = await (await Client.GetAsync($"/status/{issued}")).JsonAsync();
        Assert.Equal("obter_usuario", (string)status["original_event_type"]!);
        Assert.Equal(userId, status["usuario"]!.Id());
        await (await Client.GetAsync("/status/client-chosen-id")).AssertProblemAsync(404);
        // Without an id of the client's, the header carries the issued one.
        var plain = await Client.GetAsync($"/usuarios/{userId}");
        Assert.Equal((string)(await plain.JsonAsync())["correlation_id"]!, plain.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task HostileValuesInEveryFieldAreRefusedOrStoredNeverA5xx()
    {
        var userId = (await Client.NewUserAsync()).Id();
        string[] texts = ["José 😀 中文", "a\u0000b", "\u0001\u001f", "\ud800x", "\udc00", new string('w', 20_000), "<script>", "'; DROP TABLE event_log; --", "", " "];
        string[] numbers = ["1e308", "-0", "1.5", new string('9', 40), "1E+2", "NaN", "\"5\""];
        var routes = new (string Url, string[] TextFields, string[] NumberFields)[]
        {
            ("/usuarios", ["nome", "email", "cpf"], ["user_id"]),
            ($"/usuarios/{userId}/assinatura", ["plano", "status", "inicio", "fim"], []),
            ($"/usuarios/{userId}/pagamento", ["forma_pagamento"], ["valor"]),
            ($"/usuarios/{userId}/config", ["idioma", "tema"], ["notificacoes"]),
            ("/historico-visualizacao", ["titulo", "tipo"], ["conteudo_id", "tempo_assistido", "posicao"]),
            ("/sessoes", ["dispositivo", "localizacao"], []),
            ($"/cache/conteudo/{Random.Shared.NextInt64(1, 1_000_000_000)}", ["titulo", "tipo", "categoria"], ["ttl_segundos"]),
        };
        var answered = 0;
        foreach (var (url, textFields, numberFields) in routes)
        {
            var needsUser = url is "/historico-visualizacao" or "/sessoes";
            foreach (var field in textFields)
            {
                foreach (var text in texts)
                {
                    var body = needsUser ? $$"""{"user_id": {{userId}}, "{{field}}": "{{text}}"}""" : $$"""{"{{field}}": "{{text}}"}""";
                    await AssertNot5xxAsync(HttpMethod.Post, url, body);
                    answered++;
                }
            }
            foreach (var field in numberFields)
            {
                foreach (var number in numbers)
                {
                    var body = needsUser && field != "user_id" ? $$"""{"user_id": {{userId}}, "{{field}}": {{number}}}""" : $$"""{"{{field}}": {{number}}}""";
                    await AssertNot5xxAsync(HttpMethod.Post, url, body);
                    var query = needsUser ? $"{url}?user_id={userId}&{field}={Uri.EscapeDataString(number)}" : $"{url}?{field}={Uri.EscapeDataString(number)}";
                    await AssertNot5xxAsync(HttpMethod.Post, query, null);
                    answered += 2;
                }
            }
        }
        Assert.True(answered > 150);
        // What was accepted reads back as JSON.
        Assert.True((await Client.OkAsync(HttpMethod.Get, $"/historico-visualizacao/{userId}?limit=100"))["total"]!.GetValue<int>() > 0);
        Assert.NotNull((await Client.OkAsync(HttpMethod.Get, $"/sessoes/usuario/{userId}?ativas_apenas=false"))["sessoes"]);
    }

    private async Task AssertNot5xxAsync(HttpMethod method, string url, string? body)
    {
        var response = await Client.SendAsync(method, url, body is null ? null : Http.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{method} {url} {body?[..Math.Min(body.Length, 200)]}: {(int)response.StatusCode} {text}");
        Assert.True((int)response.StatusCode is 200 or 400 or 404 or 409 or 413 or 422, $"{method} {url}: {(int)response.StatusCode} {text}");
        // Whatever the answer, it is JSON (an entity or a problem).
        JsonNode.Parse(text);
    }
}
