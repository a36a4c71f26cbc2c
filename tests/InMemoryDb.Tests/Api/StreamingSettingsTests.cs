namespace InMemoryDb.Tests.Api;

/// <summary>The platform's settings: the session idle time and how many replies stay in memory.</summary>
public sealed class StreamingSettingsTests
{
    [Fact]
    public async Task AnIdleSessionCountsAsEndedAndOldRepliesOfWritesAreReadFromTheLog()
    {
        await using var api = new ApiFactory(settings: new Dictionary<string, string?>
        {
            ["InMemoryDb:Streaming:SessionIdleTimeout"] = "00:00:01",
            ["InMemoryDb:Streaming:StatusMemoryPerPartition"] = "1",
        });
        var client = api.CreateClient();
        var created = await client.OkAsync(HttpMethod.Post, "/usuarios");
        var userId = created["usuario"]!.Id();
        var sessionId = (string)(await client.OkAsync(HttpMethod.Post, $"/sessoes?user_id={userId}"))["sessao"]!["session_id"]!;
        var read = await client.OkAsync(HttpMethod.Get, $"/usuarios/{userId}");

        // Idle past the timeout: ended, refused activity, left out of the active list.
        // (Listing does not touch a session; activity would.)
        await Eventually.Poll(async () => (int)(await client.OkAsync(HttpMethod.Get, $"/sessoes/usuario/{userId}"))["total"]!, n => n == 0, TimeSpan.FromSeconds(5));
        await (await client.SendAsync(HttpMethod.Put, $"/sessoes/{sessionId}/atividade")).AssertProblemAsync(409);
        Assert.False((bool)(await client.OkAsync(HttpMethod.Get, $"/sessoes/usuario/{userId}?ativas_apenas=false"))["sessoes"]![0]!["ativa"]!);

        // One reply per partition in memory: after 200 more requests the first ones were pushed out. The create's reply
        // is rebuilt from its event; the read's is gone (reads are kept in memory only).
        for (var i = 0; i < 200; i++) await client.OkAsync(HttpMethod.Get, "/cache/stats");
        var status = await (await client.GetAsync((string)created["status_url"]!)).JsonAsync();
        Assert.Equal("criar_usuario", (string)status["original_event_type"]!);
        Assert.Equal(userId, status["usuario"]!.Id());
        await (await client.GetAsync((string)read["status_url"]!)).AssertProblemAsync(404);
    }
}
