using System.Net;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Integration;

/// <summary>The streaming platform on the persistent single node (real PostgreSQL): everything acknowledged survives a full restart.</summary>
public sealed class StreamingPersistenceTests
{
    [Fact]
    public async Task EntitiesUniquenessIdempotencyAndWriteStatusesSurviveARestart()
    {
        var serviceId = "streaming-" + Guid.NewGuid().ToString("N")[..12];
        var email = $"persist.{Guid.NewGuid():N}@example.com";
        var key = Guid.NewGuid().ToString();
        var conteudoId = Random.Shared.NextInt64(1_000, 1_000_000);
        long userId;
        string sessionId;
        var writes = new List<JsonNode>();
        JsonNode firstPayment;

        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            var created = await client.OkAsync(HttpMethod.Post, $"/usuarios?email={email}");
            writes.Add(created);
            userId = created["usuario"]!.Id();
            writes.Add(await client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/assinatura?plano=Padr%C3%A3o"));
            writes.Add(await client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/config?idioma=en-US&tema=claro&notificacoes=true"));
            firstPayment = await client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor=19.90", null, ("Idempotency-Key", key));
            writes.Add(firstPayment);
            // 40 payments and 35 viewings: a sealed segment each, and an open one.
            for (var i = 1; i < 40; i++) await client.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor={i}.01");
            for (var i = 1; i <= 35; i++) await client.OkAsync(HttpMethod.Post, $"/historico-visualizacao?user_id={userId}&conteudo_id={i}&tipo=filme");
            writes.Add(await client.OkAsync(HttpMethod.Post, $"/cache/conteudo/{conteudoId}?titulo=Persistente&tipo=filme"));
            var session = await client.OkAsync(HttpMethod.Post, $"/sessoes?user_id={userId}&dispositivo=Web");
            writes.Add(session);
            sessionId = (string)session["sessao"]!["session_id"]!;
            writes.Add(await client.OkAsync(HttpMethod.Post, $"/recomendacoes/gerar?user_id={userId}"));
        }

        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = second.CreateClient();

        // Every write's reply reads back after the restart: it is durable with the write (its event).
        foreach (var write in writes)
        {
            var status = await (await again.GetAsync((string)write["status_url"]!)).JsonAsync();
            Assert.Equal("success", (string)status["status"]!);
            Assert.Equal((string)write["correlation_id"]!, (string)status["correlation_id"]!);
            Assert.Equal((string)write["mensagem"]!, (string)status["message"]!);
            var member = write.AsObject().Select(p => p.Key).First(k => k is not ("mensagem" or "status" or "correlation_id" or "status_url" or "total_recomendacoes"));
            Assert.True(JsonNode.DeepEquals(write[member], status[member]), $"{member}: {write[member]} vs {status[member]}");
        }

        Assert.Equal(email, (string)(await again.OkAsync(HttpMethod.Get, $"/usuarios/{userId}"))["usuario"]!["email"]!);
        await (await again.PostAsync($"/usuarios?email={email}", null)).AssertProblemAsync(409);
        Assert.Equal(1, (long)(await again.OkAsync(HttpMethod.Get, "/usuarios"))["total"]!);
        Assert.Equal("Padrão", (string)(await again.OkAsync(HttpMethod.Get, $"/usuarios/{userId}/assinatura"))["atual"]!["plano"]!);
        Assert.Equal("\"1\"", (await again.SendAsync(HttpMethod.Get, $"/usuarios/{userId}/config")).ETag());

        var payments = await again.OkAsync(HttpMethod.Get, $"/usuarios/{userId}/pagamentos");
        Assert.Equal(40, (int)payments["total"]!);
        Assert.Equal(39.01m, (decimal)payments["pagamentos"]![0]!["valor"]!);
        // The idempotency key still answers with the first payment, and logs nothing new.
        var replay = await again.OkAsync(HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor=19.90", null, ("Idempotency-Key", key));
        Assert.Equal((string)firstPayment["pagamento"]!["id"]!, (string)replay["pagamento"]!["id"]!);
        Assert.Equal((string)firstPayment["correlation_id"]!, (string)replay["correlation_id"]!);

        var history = await again.OkAsync(HttpMethod.Get, $"/historico-visualizacao/{userId}?limit=100");
        Assert.Equal(35, (int)history["total"]!);
        Assert.Equal(Enumerable.Range(1, 35).Reverse().Select(i => (long)i), history["historico"]!.AsArray().Select(v => (long)v!["conteudo_id"]!));
        Assert.Equal("Persistente", (string)(await again.OkAsync(HttpMethod.Get, $"/cache/conteudo/{conteudoId}"))["conteudo"]!["titulo"]!);
        Assert.Equal(sessionId, (string)(await again.OkAsync(HttpMethod.Get, $"/sessoes/usuario/{userId}"))["sessoes"]![0]!["session_id"]!);
        // 35 films watched, one film in the catalogue: the list drawn then is the one stored.
        var itens = (await again.OkAsync(HttpMethod.Get, $"/recomendacoes/{userId}"))["recomendacoes"]!["itens"]!.AsArray();
        Assert.Equal([conteudoId], itens.Select(i => (long)i!["conteudo_id"]!));

        var events = await again.AllEventsAsync(e => (string)e["key"]! == userId.ToString());
        Assert.Equal(40, events.Count(e => (string)e["method"]! == "pagamento_realizado"));
        Assert.Equal(35, events.Count(e => (string)e["method"]! == "registrar_visualizacao"));
        Assert.Single(events, e => (string)e["method"]! == "criar_usuario");
    }

    [Fact]
    public async Task ConcurrentDuplicateEmailsOnPostgresGiveOneUser()
    {
        var serviceId = "streaming-" + Guid.NewGuid().ToString("N")[..12];
        var email = $"race.{Guid.NewGuid():N}@example.com";
        await using var node = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var client = node.CreateClient();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.PostAsync($"/usuarios?email={email}", null)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var listed = await client.OkAsync(HttpMethod.Get, "/usuarios");
        Assert.Equal(1, (long)listed["total"]!);
        Assert.Equal(email, (string)listed["usuarios"]![0]!["email"]!);
    }
}
