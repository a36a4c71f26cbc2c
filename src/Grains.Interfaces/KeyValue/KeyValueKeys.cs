using System.Security.Cryptography;
using System.Text;

namespace InMemoryDb.KeyValue;

/// <summary>
/// Rules for keys and values of the key-value store, and how a key maps to its grain.
/// </summary>
public static class KeyValueKeys
{
    /// <summary>The longest key accepted, in characters.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>The largest value accepted, in UTF-8 bytes (64 KiB).</summary>
    public const int MaxValueBytes = 64 * 1024;

    /// <summary>The largest page a listing may ask for.</summary>
    public const int MaxPageSize = 100_000;

    /// <summary>The scope of every key grain's key (<c>{scope}/{id}</c>, the layout index partitions scan).</summary>
    public const string Scope = "kv";

    // Encoded ids longer than this are replaced by a hash, so grain keys stay well inside the storage's key column.
    private const int MaxEncodedLength = 200;
    private const string Hex = "0123456789ABCDEF";

    /// <summary>Null when <paramref name="key"/> is acceptable, otherwise why not.</summary>
    public static string? CheckKey(string? key)
    {
        if (string.IsNullOrEmpty(key)) return "The key must be a non-empty string.";
        if (key.Length > MaxKeyLength) return $"The key must be at most {MaxKeyLength} characters.";
        return CheckText(key, "key");
    }

    /// <summary>Null when <paramref name="value"/> is acceptable, otherwise why not.</summary>
    public static string? CheckValue(string? value)
    {
        if (value is null) return "The value must be a string.";
        if (value.Length > MaxValueBytes || Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
        {
            return $"The value must be at most {MaxValueBytes} bytes (UTF-8).";
        }
        return CheckText(value, "value");
    }

    /// <summary>
    /// The key of the <see cref="IKeyValueGrain"/> of <paramref name="key"/>: <c>kv/{id}</c>, where id is the key with
    /// every character but ASCII letters, digits, '-', '_', '.' and '~' percent-encoded (UTF-8), so '/', digit-only
    /// keys and any other character are safe in a grain key; an id that would exceed 200 characters is
    /// <c>#</c> followed by the SHA-256 of the key in hex ('#' never appears unencoded, so the forms cannot collide).
    /// </summary>
    public static string GrainKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var bytes = Encoding.UTF8.GetBytes(key);
        var encoded = new StringBuilder(bytes.Length + 3);
        encoded.Append(Scope).Append('/');
        foreach (var b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
            if (encoded.Length - Scope.Length - 1 > MaxEncodedLength)
            {
                return $"{Scope}/#{Convert.ToHexStringLower(SHA256.HashData(bytes))}";
            }
        }
        return encoded.ToString();
    }

    private static string? CheckText(string text, string what)
        => InputLimits.CheckText(text) is { } problem ? $"The {what} {problem}." : null;
}
