using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace InMemoryDb.Grains;

/// <summary>Options of <see cref="PasswordHashing"/> (configuration section <c>InMemoryDb:Passwords</c>).</summary>
public sealed class PasswordHashingOptions
{
    /// <summary>PBKDF2 iterations (HMAC-SHA512). ASP.NET Core Identity's default is 100,000.</summary>
    public int Iterations { get; set; } = 100_000;
}

/// <summary>Hashes passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (salted PBKDF2, versioned format).</summary>
public sealed class PasswordHashing(IOptions<PasswordHashingOptions> options)
{
    private static readonly object User = new();
    private readonly PasswordHasher<object> _hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = options.Value.Iterations,
    }));

    /// <summary>A salted hash of <paramref name="password"/>.</summary>
    public string Hash(string password) => _hasher.HashPassword(User, password);

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>.</summary>
    public bool Verify(string hash, string password)
        => _hasher.VerifyHashedPassword(User, hash, password) != PasswordVerificationResult.Failed;
}
