using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace InMemoryDb.Grains.Persistence;

/// <summary>Scans grain states stored by the ADO.NET provider in <c>orleansstorage</c>, using the scope/partition index.</summary>
public sealed class PostgresGrainStateScanner(NpgsqlDataSource dataSource, IOptions<ClusterOptions> cluster) : IGrainStateScanner
{
    private const string Sql = """
        SELECT grainidextensionstring, payloadbinary
          FROM orleansstorage
         WHERE serviceid = $1 AND graintypestring = $2
           AND inmemorydb_key_scope(grainidextensionstring) = $3
           AND inmemorydb_key_partition(grainidextensionstring) = $4
           AND payloadbinary IS NOT NULL
        """;

    /// <inheritdoc />
    public async IAsyncEnumerable<ScannedState<T>> ScanAsync<T>(string stateName, string scope, int partition, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = cluster.Value.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = scope });
        command.Parameters.Add(new NpgsqlParameter { Value = partition });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            var payload = reader.GetFieldValue<byte[]>(1);
            yield return new ScannedState<T>(key, JsonGrainStateSerializer.Deserialize<T>(payload));
        }
    }
}
