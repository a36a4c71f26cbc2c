using System.Net;
using InMemoryDb.Grains;
using InMemoryDb.Grains.Tables;
using InMemoryDb.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Tests.Integration;

/// <summary>
/// Writes whose answer is lost, through the ADO.NET provider on the real PostgreSQL (the grain-level cases are in
/// <c>Grains/AmbiguousWriteTests</c>): the grain reads the stored row back and answers from it, and what it stored
/// survives a restart.
/// </summary>
public sealed class AmbiguousWritePostgresTests
{
    [Fact]
    public async Task UsersWhoseWriteAnswerWasLostAreStoredAndKeepTheirEmail()
    {
        var serviceId = "amb-" + Guid.NewGuid().ToString("N")[..12];
        var email = $"amb{Guid.NewGuid():N}@example.com";
        var otherEmail = $"amb{Guid.NewGuid():N}@example.com";
        await using (var factory = new ApiFactory(TestEnvironment.Postgres, serviceId, services: FaultyGrainStorage.Decorate))
        {
            var http = factory.CreateClient();
            var storage = Assert.IsType<FaultyGrainStorage>(factory.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage));

            // The insert commits, its answer is lost; the read-back finds it: acknowledged.
            storage.Arm(RecordGrain.StateName, TableNames.RecordKey(TableNames.Users, "lost"), WriteFault.AnswerLost);
            var lost = await http.PostAsync("/api/v1/data/users", Http.Data(new { id = "lost", email, full_name = "Ann", password = "12345678" }));
            Assert.Equal(HttpStatusCode.Created, lost.StatusCode);

            // The insert commits, its answer is lost and so is the read-back: 503, and the email stays taken.
            storage.Arm(RecordGrain.StateName, TableNames.RecordKey(TableNames.Users, "unknown"), WriteFault.AnswerLost, failedReads: 1);
            var unknown = await http.PostAsync("/api/v1/data/users", Http.Data(new { id = "unknown", email = otherEmail, full_name = "Bob", password = "12345678" }));
            await unknown.AssertProblemAsync(503);
            var thief = await http.PostAsync("/api/v1/data/users", Http.Data(new { email = otherEmail, full_name = "Eve", password = "12345678" }));
            await thief.AssertProblemAsync(409);
            // Reads are served by the table partition: the record shows once the grain has read its fate back (its
            // timer reads every 2 s) and applied it there.
            await Eventually.Poll(async () => (await http.GetAsync("/api/v1/data/users/unknown")).StatusCode, code => code == HttpStatusCode.OK);
            Assert.Equal(0, storage.Pending);
        }

        // After a restart, from PostgreSQL alone: both users, each with its version 1.
        await using var restarted = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var client = restarted.CreateClient();
        foreach (var id in new[] { "lost", "unknown" })
        {
            var read = await client.GetAsync($"/api/v1/data/users/{id}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("\"1\"", read.ETag());
        }
        var count = await Eventually.Poll(async () => (await (await client.GetAsync("/api/v1/tables")).JsonAsync()).ToJsonString(),
            tables => tables.Contains("\"users\"", StringComparison.Ordinal));
        Assert.Contains("\"count\":2", count, StringComparison.Ordinal);
    }
}
