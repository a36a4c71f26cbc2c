using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace InMemoryDb.Grains;

/// <summary>
/// How entities are spread over index partitions. The partition of an id is the high nibble of the first
/// byte of MD5(UTF-8 id), the same function as <c>inmemorydb_key_partition</c> in the database schema, so a
/// partition can reload exactly its own entities from grain storage.
/// </summary>
public static class Partitioning
{
    /// <summary>Partitions per table (fixed: it is part of the stored layout).</summary>
    public const int Count = 16;

    /// <summary>The partition (0–15) of an entity id.</summary>
    public static int Of(string id)
    {
        var max = Encoding.UTF8.GetMaxByteCount(id.Length);
        var rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[512];
            var length = Encoding.UTF8.GetBytes(id, buffer);
            Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
            MD5.HashData(buffer[..length], hash);
            return hash[0] >> 4;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A hash of <paramref name="value"/> that is the same in every process (FNV-1a), reduced to <paramref name="buckets"/>.</summary>
    public static int Bucket(string value, int buckets)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % (uint)buckets);
    }
}
