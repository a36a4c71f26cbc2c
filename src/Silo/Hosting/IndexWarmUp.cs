using InMemoryDb.Grains.Questions;
using InMemoryDb.Pessoas;
using InMemoryDb.Questions;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Once the silo is active, in the background: finishes any bulk delete of questions or answers that a crash
/// interrupted (so its event is logged), then loads the question, answer and people index partitions from grain
/// storage (which also logs any event left unlogged in a stored outbox by a crash), so the first request after a
/// restart does not wait for them. A step that fails is logged; its partitions then load on first use.
/// </summary>
internal sealed partial class IndexWarmUp(IGrainFactory grains, ILogger<IndexWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(IndexWarmUp), ServiceLifecycleStage.Active, OnActiveAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        _ = WarmUpAsync();
        return Task.CompletedTask;
    }

    private Task WarmUpAsync() => Task.WhenAll(
        StepAsync("questions and answer attempts", async () =>
        {
            await Task.WhenAll(
                grains.GetGrain<IBulkDeleteGrain>(QuestionKeys.Questions).ResumeAsync(),
                grains.GetGrain<IBulkDeleteGrain>(QuestionKeys.Answers).ResumeAsync());
            // One collection after the other: each loads its 16 partitions in parallel (one connection each).
            return await grains.GetGrain<IQuestionsGrain>(0).CountAsync() + await grains.GetGrain<IAnswersGrain>(0).CountAsync();
        }),
        StepAsync("people", () => grains.GetGrain<IPessoasGrain>(0).CountAsync()));

    private async Task StepAsync(string what, Func<Task<long>> load)
    {
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var count = await load();
            LogWarm(logger, count, what, watch.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            LogWarmFailed(logger, e, what);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} {What} into their index partitions in {Elapsed} ms")]
    private static partial void LogWarm(ILogger logger, long count, string what, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the {What} index partitions at start-up; they load on first use")]
    private static partial void LogWarmFailed(ILogger logger, Exception exception, string what);
}
