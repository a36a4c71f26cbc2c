using System.Collections.Concurrent;
using System.Runtime.InteropServices;
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
/// Hashes passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (salted PBKDF2, versioned format)
/// on threads of its own: off the grain scheduler and the thread pool, a bounded number at a time, and at the idle CPU
/// priority on Linux (SCHED_IDLE: a hash runs on CPU time no other thread wants, and yields at once when one does), so a
/// burst of user writes waits for spare CPU instead of taking the cores from the requests that need none. Under a load
/// that leaves no spare CPU, user writes queue, then are refused as busy (docs/decisions/password-hashing.md).
/// </summary>
public sealed class PasswordHashing : IDisposable
{
    private const int IdlePolicy = 5; // SCHED_IDLE
    private const int LowestNice = 19;
    private static readonly object User = new();
    private readonly PasswordHasher<object> _hasher;
    private readonly BlockingCollection<(string Password, TaskCompletionSource<string> Done)> _queue = new();
    private readonly int _capacity;
    private int _inFlight;

    /// <summary>Creates the hasher and its threads from its options.</summary>
    public PasswordHashing(IOptions<PasswordHashingOptions> options)
    {
        var o = options.Value;
        if (o.MaxConcurrency < 1) throw new InvalidOperationException($"InMemoryDb:Passwords:MaxConcurrency must be at least 1; it is {o.MaxConcurrency}.");
        if (o.MaxQueued < 0) throw new InvalidOperationException($"InMemoryDb:Passwords:MaxQueued must be at least 0; it is {o.MaxQueued}.");
        if (o.Iterations < 1) throw new InvalidOperationException($"InMemoryDb:Passwords:Iterations must be at least 1; it is {o.Iterations}.");
        _hasher = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = o.Iterations,
        }));
        _capacity = o.MaxConcurrency + o.MaxQueued;
        for (var i = 0; i < o.MaxConcurrency; i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"password-hashing-{i}", Priority = ThreadPriority.BelowNormal }.Start();
        }
    }

    /// <summary>How many hashes run or wait right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>A salted hash of <paramref name="password"/> (synchronous, on the caller's thread: for tools and tests).</summary>
    public string Hash(string password) => _hasher.HashPassword(User, password);

    /// <summary>
    /// A salted hash of <paramref name="password"/>, computed on a hashing thread once one is free; null when too many
    /// hashes already wait (the caller answers busy). The caller's activation waits; the silo's other grains run on.
    /// </summary>
    public Task<string?> HashAsync(string password)
    {
        if (Interlocked.Increment(ref _inFlight) > _capacity)
        {
            Interlocked.Decrement(ref _inFlight);
            return Task.FromResult<string?>(null);
        }
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((password, done));
        return done.Task!;
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>.</summary>
    public bool Verify(string hash, string password)
        => _hasher.VerifyHashedPassword(User, hash, password) != PasswordVerificationResult.Failed;

    /// <inheritdoc />
    public void Dispose() => _queue.CompleteAdding();

    private void Work()
    {
        LowerThisThreadsPriority();
        foreach (var (password, done) in _queue.GetConsumingEnumerable())
        {
            try
            {
                done.SetResult(Hash(password));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>
    /// On Linux, ThreadPriority is not applied to the OS thread: move this thread to the SCHED_IDLE policy (a per-thread
    /// setting there, which needs no privilege), or failing that to the lowest nice value. Elsewhere
    /// <see cref="ThreadPriority.BelowNormal"/> is what there is.
    /// </summary>
    private static void LowerThisThreadsPriority()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            var thread = GetThreadId();
            var none = new SchedulingParameters();
            if (SetScheduler(thread, IdlePolicy, ref none) != 0) _ = SetPriority(0, thread, LowestNice);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Without glibc the hashing threads keep the default priority; they are still bounded in number.
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedulingParameters
    {
        public int Priority;
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [DllImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static extern int SetScheduler(int thread, int policy, ref SchedulingParameters parameters);

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);
}
