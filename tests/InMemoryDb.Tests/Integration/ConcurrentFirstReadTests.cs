using System.Net;

namespace InMemoryDb.Tests.Integration;

/// <summary>
/// Reads of a stored entity that arrive together at its fresh activation (read-only calls interleave) all see it:
/// none may be answered between the storage read completing and the grain deriving its answer from the state.
/// </summary>
public sealed class ConcurrentFirstReadTests
{
    [Fact]
    public async Task EveryConcurrentFirstReadOfAStoredRecordFindsIt()
    {
        var serviceId = "firstread-" + Guid.NewGuid().ToString("N")[..12];
        var table = Http.NewTable();
        var ids = Enumerable.Range(0, 600).Select(i => $"r{i}").ToArray();
        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            foreach (var chunk in ids.Chunk(20))
            {
                await Task.WhenAll(chunk.Select(id => client.CreateAsync(table, new { id, n = 1 })));
            }
        }

        // A new node: every record's first reads load it from PostgreSQL while more reads of it arrive.
        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = second.CreateClient();
        var codes = await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await again.GetAsync($"/api/v1/data/{table}/{id}");
            return (id, response.StatusCode);
        })));
        Assert.All(codes, c => Assert.True(c.StatusCode == HttpStatusCode.OK, $"{c.id}: {c.StatusCode}"));
    }
}
