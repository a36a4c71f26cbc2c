using System.Security.Cryptography;
using System.Text;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// A person's id is a name-based UUID (version 5, RFC 9562) of its apelido. So the apelido picks the person
/// grain: two requests with one apelido meet in one grain, which decides uniqueness by itself, and the database
/// row of that grain key is the durable proof that the apelido is taken — no reservation to write first.
/// </summary>
public static class PessoaIds
{
    /// <summary>The namespace of apelido UUIDs (fixed: it is part of the stored layout).</summary>
    public static readonly Guid Namespace = new("4e426bbf-2c6a-4fe9-ad89-fda4172c513a");

    /// <summary>The id of the person with <paramref name="apelido"/> (exact, case-sensitive).</summary>
    public static Guid ForApelido(string apelido)
    {
        var length = Encoding.UTF8.GetByteCount(apelido);
        Span<byte> buffer = length <= 512 ? stackalloc byte[16 + length] : new byte[16 + length];
        Namespace.TryWriteBytes(buffer, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(apelido, buffer[16..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(buffer, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
