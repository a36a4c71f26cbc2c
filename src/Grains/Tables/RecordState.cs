using System.Text.Json;

namespace InMemoryDb.Grains.Tables;

/// <summary>The persisted state of a <see cref="RecordGrain"/>. A deleted record keeps a tombstone (its version).</summary>
public sealed class RecordState : Persistence.EntityState
{
    /// <summary>False before creation and after deletion.</summary>
    public bool Exists { get; set; }

    /// <summary>The record's fields (a JSON object), without any password.</summary>
    public JsonElement? Data { get; set; }

    /// <summary>The salted PBKDF2 hash of a <c>users</c> record's password.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>When the record was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the record last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Grows with every change, across delete and re-create, so an ETag is never reused.</summary>
    public long Version { get; set; }
}
