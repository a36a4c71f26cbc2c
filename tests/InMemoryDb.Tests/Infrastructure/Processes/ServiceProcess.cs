using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace InMemoryDb.Tests.Infrastructure.Processes;

/// <summary>
/// A process a test started (a silo, an API, Redis, a sample): keeps the tail of its output for diagnostics, can be
/// killed (SIGKILL) or stopped gracefully (SIGTERM), and is killed when the test process exits, whatever happens.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int KeptLines = 1000;
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentDictionary<string, bool> _seen = new();
    private readonly string[] _markers;
    private readonly Process _process;

    static ServiceProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        };
    }

    private ServiceProcess(string name, Process process, string[] markers)
    {
        Name = name;
        _process = process;
        _markers = markers;
    }

    /// <summary>The name given by the test (silo1, api1, redis…).</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>; <paramref name="environment"/> is added to
    /// (or, with null values, removed from) this process's environment. <see cref="HasPrinted"/> answers for the
    /// <paramref name="markers"/> however long ago they were printed.
    /// </summary>
    public static ServiceProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, params string[] markers)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // The children are configured only by what the test passes.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                     || k.StartsWith("Orleans__", StringComparison.Ordinal) || k.StartsWith("InMemoryDb__", StringComparison.Ordinal)).ToArray())
        {
            info.Environment.Remove(key);
        }
        foreach (var (key, value) in environment)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new ServiceProcess(name, process, markers);
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        process.Start();
        Running[process.Id] = process;
        process.Exited += (_, _) => Running.TryRemove(process.Id, out _);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>True when the process printed a line containing <paramref name="marker"/> (one of the markers given at start).</summary>
    public bool HasPrinted(string marker) => _seen.ContainsKey(marker);

    /// <summary>The last lines of output.</summary>
    public string RecentOutput() => string.Join(Environment.NewLine, _lines);

    /// <summary>SIGKILL: the process dies at once, with no chance to clean up (a crash).</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    /// <summary>SIGSTOP: the process stops running with its connections open (a long GC pause, a frozen VM).</summary>
    public void Pause()
    {
        if (SendSignal(_process.Id, SigStop) != 0) throw new InvalidOperationException($"SIGSTOP to {Name} failed (errno {Marshal.GetLastPInvokeError()}).");
    }

    /// <summary>SIGCONT: a paused process runs again.</summary>
    public void Resume()
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigCont) != 0) throw new InvalidOperationException($"SIGCONT to {Name} failed (errno {Marshal.GetLastPInvokeError()}).");
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within <paramref name="timeout"/> (10 s by default).</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited) return;
        _ = SendSignal(_process.Id, SigTerm);
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Waits for the process to exit by itself; kills it and fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{Name} did not exit within {timeout}. Output:{Environment.NewLine}{RecentOutput()}");
        }
    }

    /// <summary>Waits until <paramref name="address"/>/health answers 200; fails with <paramref name="diagnostics"/> when this process exits or the deadline passes.</summary>
    public async Task WaitForHealthAsync(Uri address, DateTime deadline, Func<string> diagnostics)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            if (HasExited) throw new InvalidOperationException($"{Name} exited during start-up.{Environment.NewLine}{diagnostics()}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} did not become healthy in time.{Environment.NewLine}{diagnostics()}");
            await Task.Delay(200);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _ = SendSignal(_process.Id, SigCont);
        Kill();
        if (!_process.HasExited) await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        foreach (var marker in _markers)
        {
            if (line.Contains(marker, StringComparison.Ordinal)) _seen[marker] = true;
        }
        _lines.Enqueue(line);
        while (_lines.Count > KeptLines) _lines.TryDequeue(out _);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
