using System.Net;
using Npgsql;

namespace InMemoryDb.Tests.Integration;

/// <summary>
/// The service needs no PostgreSQL superuser: as a plain role that owns its database (what docker-compose.yml's
/// deploy/postgres/initdb script makes), a silo creates the schema at start-up, stores grain state and logs events.
/// </summary>
public sealed class DatabaseOwnerTests
{
    [Fact]
    public async Task ANonSuperuserDatabaseOwnerRunsTheService()
    {
        var role = "owner_" + Guid.NewGuid().ToString("N")[..8];
        const string password = "owner-test-password";
        var database = new TestDatabase("owned_");
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        await AsAdministratorAsync(
            $"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{password}'",
            $"CREATE DATABASE \"{name}\" OWNER {role}",
            $"REVOKE ALL ON DATABASE \"{name}\" FROM PUBLIC");
        try
        {
            var owner = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = password }.ConnectionString;
            // Twice: the second start re-applies the schema over the first one's objects.
            for (var start = 0; start < 2; start++)
            {
                await using var api = new ApiFactory(owner, serviceId: "owner-test");
                var client = api.CreateClient();
                Assert.Equal("stored", (await client.PutAsync($"key-{start}", "value")).Status);
                Assert.Equal(HttpStatusCode.OK, (await client.GetKeyAsync("key-0")).Code);
                await Eventually.Poll(() => client.EventsAsync(e => (string)e["key"]! == $"key-{start}"), e => e.Length == 1);
            }

            await using var connection = new NpgsqlConnection(owner);
            await connection.OpenAsync();
            await using var check = new NpgsqlCommand(
                "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), " +
                "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') AND pg_get_userbyid(c.relowner) <> current_user), " +
                "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v'))", connection);
            await using var reader = await check.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.False(reader.GetBoolean(0));
            Assert.Equal(0, reader.GetInt64(1));
            Assert.True(reader.GetInt64(2) >= 3, "the schema's tables and views are missing");
        }
        finally
        {
            await database.DisposeAsync();
            await AsAdministratorAsync($"DROP ROLE IF EXISTS {role}");
        }
    }

    private static async Task AsAdministratorAsync(params string[] statements)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
