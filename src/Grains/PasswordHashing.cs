using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace InMemoryDb.Grains;

/// <summary>Options of <see cref="PasswordHashing"/> (configuration section <c>InMemoryDb:Passwords</c>).</summary>
public sealed class PasswordHashingOptions
{
    /// <summary>PBKDF2 iterations (HMAC-SHA512). ASP.NET Core Identity's default is 100,000.</summary>
    public int Iterations { get; set; } = 100_000;

    /// <summary>How many hashes may run at once (default: half the cores, at least one), so hashing never takes every core.</summary>
    public int MaxConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How many hashes may wait for a slot; beyond that a write that needs one is refused as busy (503, retry later).</summary>
    public int MaxQueued { get; set; } = 256;
}

/// <summary>
/// Hashes passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (salted PBKDF2, versioned format),
/// off the grain scheduler and a bounded number at a time: a burst of user writes waits for its slots instead of
/// taking every core from the other requests (docs/decisions/password-hashing.md).
/// </summary>
public sealed class PasswordHashing
{
    private static readonly object User = new();
    private readonly PasswordHasher<object> _hasher;
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private int _inFlight;

    /// <summary>Creates the hasher from its options.</summary>
    public PasswordHashing(IOptions<PasswordHashingOptions> options)
    {
        var o = options.Value;
        if (o.MaxConcurrency < 1) throw new InvalidOperationException($"InMemoryDb:Passwords:MaxConcurrency must be at least 1; it is {o.MaxConcurrency}.");
        if (o.MaxQueued < 0) throw new InvalidOperationException($"InMemoryDb:Passwords:MaxQueued must be at least 0; it is {o.MaxQueued}.");
        _hasher = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = o.Iterations,
        }));
        _slots = new SemaphoreSlim(o.MaxConcurrency, o.MaxConcurrency);
        _capacity = o.MaxConcurrency + o.MaxQueued;
    }

    /// <summary>How many hashes run or wait right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>A salted hash of <paramref name="password"/> (synchronous, on the caller's thread: for tools and tests).</summary>
    public string Hash(string password) => _hasher.HashPassword(User, password);

    /// <summary>
    /// A salted hash of <paramref name="password"/>, computed on the thread pool once a hashing slot is free; null when too
    /// many hashes already wait (the caller answers busy).
    /// </summary>
    public async Task<string?> HashAsync(string password)
    {
        if (Interlocked.Increment(ref _inFlight) > _capacity)
        {
            Interlocked.Decrement(ref _inFlight);
            return null;
        }
        try
        {
            await _slots.WaitAsync().ConfigureAwait(false);
            try
            {
                // Task.Run leaves the grain's scheduler: the activation waits, the silo's other grains keep running.
                return await Task.Run(() => Hash(password)).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>.</summary>
    public bool Verify(string hash, string password)
        => _hasher.VerifyHashedPassword(User, hash, password) != PasswordVerificationResult.Failed;
}
