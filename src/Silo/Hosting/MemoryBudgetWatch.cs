using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Gives memory back to the system under a budget (<c>InMemoryDb:Memory:BudgetBytes</c>). Orleans' shedding frees
/// activations, but the GC keeps the heap they occupied committed until it compacts: after a bulk load the resident
/// set stayed hundreds of megabytes above what the data needs. Every second, when the process's resident set is
/// over the budget and a large share of the heap is free space, this runs one compacting full collection (at most
/// once per <see cref="MinimumInterval"/>), after which the GC releases the free space.
/// </summary>
public sealed partial class MemoryBudgetWatch(long budgetBytes, ILogger<MemoryBudgetWatch> logger) : BackgroundService
{
    /// <summary>How often the resident set is checked.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>The least time between two compactions.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(5);

    /// <summary>The share of the heap that must be free space for a compaction to be worth its pause.</summary>
    public const double FragmentationThreshold = 0.2;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = Stopwatch.StartNew();
        var compacted = false;
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (compacted && last.Elapsed < MinimumInterval) continue;
            using var process = Process.GetCurrentProcess();
            var resident = process.WorkingSet64;
            var info = GC.GetGCMemoryInfo();
            var free = info.FragmentedBytes;
            if (!ShouldCompact(resident, budgetBytes, info.HeapSizeBytes, free)) continue;
            var watch = Stopwatch.StartNew();
            // Aggressive: compacts every generation (the large-object heap included) and decommits the free space, where a
            // forced compacting collection left most of it committed (measured: 613 → 606 MiB).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            process.Refresh();
            LogCompacted(logger, resident / 1048576, free / 1048576, process.WorkingSet64 / 1048576, watch.ElapsedMilliseconds, budgetBytes / 1048576);
            compacted = true;
            last.Restart();
        }
    }

    /// <summary>True when the resident set is over the budget and at least <see cref="FragmentationThreshold"/> of the heap is free space.</summary>
    public static bool ShouldCompact(long residentBytes, long budgetBytes, long heapBytes, long freeHeapBytes)
        => residentBytes > budgetBytes && heapBytes > 0 && freeHeapBytes >= heapBytes * FragmentationThreshold;

    [LoggerMessage(Level = LogLevel.Information, Message = "Resident set {Resident} MiB over the memory budget ({Budget} MiB) with {Free} MiB of free heap: compacted in {Elapsed} ms, now {After} MiB")]
    private static partial void LogCompacted(ILogger logger, long resident, long free, long after, long elapsed, long budget);
}
