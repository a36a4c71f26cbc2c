using InMemoryDb.Grains.Questions;
using InMemoryDb.Questions;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Once the silo is active: finishes any bulk delete of questions or answers that a crash interrupted (so its event is
/// logged), and loads the question and answer index partitions (which also logs any event left unlogged in a stored
/// outbox by a crash).
/// </summary>
internal sealed partial class QuestionsStartup(IGrainFactory grains, ILogger<QuestionsStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(QuestionsStartup), ServiceLifecycleStage.Active, OnActiveAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        _ = WarmUpAsync();
        return Task.CompletedTask;
    }

    private async Task WarmUpAsync()
    {
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(
                grains.GetGrain<IBulkDeleteGrain>(QuestionKeys.Questions).ResumeAsync(),
                grains.GetGrain<IBulkDeleteGrain>(QuestionKeys.Answers).ResumeAsync());
            // One collection after the other: each loads its 16 partitions in parallel (one connection each).
            var questions = await grains.GetGrain<IQuestionsGrain>(0).CountAsync();
            var answers = await grains.GetGrain<IAnswersGrain>(0).CountAsync();
            LogWarm(logger, questions, answers, watch.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            LogWarmFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Questions} questions and {Answers} answer attempts into their index partitions in {Elapsed} ms")]
    private static partial void LogWarm(ILogger logger, long questions, long answers, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the question and answer index partitions at start-up; they load on first use")]
    private static partial void LogWarmFailed(ILogger logger, Exception exception);
}
