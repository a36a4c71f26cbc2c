using InMemoryDb.Grains.Events;
using InMemoryDb.Questions;
using Orleans.Storage;

namespace InMemoryDb.Grains.Questions;

/// <summary>
/// One question, keyed <c>questions/{question_id}</c>. A change is made durable in one state write that also carries
/// its event (outbox), applied to the question's index partition, and only then acknowledged; the event is published
/// right after. Requests run one at a time, so concurrent creates of one id have exactly one winner and one event.
/// </summary>
public sealed partial class QuestionGrain(
    [PersistentState(QuestionGrain.StateName, ProviderNames.Storage)] IPersistentState<QuestionState> state,
    ILogger<QuestionGrain> logger) : Grain, IQuestionGrain, IQuestionBulkDeleteGrain, IEventSourceGrain
{
    /// <summary>The storage name of question states (unique among grain classes).</summary>
    public const string StateName = "question";

    private long _id;
    private QuestionSnapshot? _snapshot;
    private EventOutbox _outbox = null!;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = QuestionKeys.ParseQuestion(this.GetPrimaryKeyString());
        _outbox = new EventOutbox(this, () => state.State.Outbox, logger);
        _snapshot = Current(state.State);
        return _outbox.PublishPendingAsync();
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
        => _outbox.DropConfirmedAsync(reason, state.RecordExists, () => state.WriteStateAsync(cancellationToken));

    /// <inheritdoc />
    public async Task<Outcome<QuestionSnapshot>> CreateAsync(QuestionInput input)
    {
        if (input.QuestionId != _id) return Outcome<QuestionSnapshot>.BadRequest($"This grain holds question {_id}, not {input.QuestionId}.");
        var (errors, letter) = QuestionRules.Check(input);
        if (errors.Count > 0) return Outcome<QuestionSnapshot>.Invalid(errors);
        if (state.State.Exists) return Outcome<QuestionSnapshot>.Conflict("Question already exists");

        var stored = new StoredQuestion
        {
            QuestionId = _id,
            QuestionText = input.QuestionText,
            AlternativaA = input.AlternativaA,
            AlternativaB = input.AlternativaB,
            AlternativaC = input.AlternativaC,
            AlternativaD = input.AlternativaD,
            AlternativaCorreta = QuestionRules.StoredCorreta(input.AlternativaCorreta),
            Dificuldade = input.Dificuldade,
            Assunto = input.Assunto,
            CorrectLetter = letter.ToString(),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var next = new QuestionState { Exists = true, Question = stored, Version = state.State.Version + 1 };
        var item = _outbox.NewEvent(EventMethods.CreateQuestion, QuestionKeys.Questions, Key, QuestionJson.ToJson(stored.ToSnapshot(next.Version)), stored.CreatedAt);
        await CommitAsync(next, item);
        return Outcome<QuestionSnapshot>.Ok(_snapshot!);
    }

    /// <inheritdoc />
    public Task<QuestionSnapshot?> GetAsync() => Task.FromResult(_snapshot);

    /// <inheritdoc />
    public async Task<Outcome<QuestionSnapshot>> DeleteAsync()
    {
        if (_snapshot is not { } deleted) return Outcome<QuestionSnapshot>.NotFound("Question not found");
        var next = new QuestionState { Exists = false, Question = state.State.Question, Version = state.State.Version + 1 };
        var item = _outbox.NewEvent(EventMethods.DeleteQuestion, QuestionKeys.Questions, Key, QuestionJson.ToJson(deleted), DateTimeOffset.UtcNow);
        await CommitAsync(next, item);
        return Outcome<QuestionSnapshot>.Ok(deleted);
    }

    /// <inheritdoc />
    public async Task<QuestionSnapshot?> DeleteInBulkAsync(Guid operation)
    {
        if (_snapshot is not { } deleted)
        {
            return state.State.DeletedBy == operation && state.State.Question is { } tombstone ? tombstone.ToSnapshot(state.State.Version - 1) : null;
        }
        var next = new QuestionState { Exists = false, Question = state.State.Question, Version = state.State.Version + 1, DeletedBy = operation };
        await CommitAsync(next, item: null);
        return deleted;
    }

    /// <inheritdoc />
    public Task<bool?> JudgeAsync(string alternativaEscolhida)
        => Task.FromResult(_snapshot is { } question ? QuestionRules.IsCorrect(question, alternativaEscolhida) : (bool?)null);

    /// <inheritdoc />
    public Task ConfirmEventsAsync(Guid[] eventIds)
    {
        _outbox.Confirm(eventIds);
        return Task.CompletedTask;
    }

    private string Key => _id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="next"/> with its event, updates the index partition, then publishes the event.</summary>
    private async Task CommitAsync(QuestionState next, EventEnvelope? item)
    {
        next.Outbox = item is null ? state.State.Outbox : [.. state.State.Outbox, item];
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            state.State = previous;
            if (e is InconsistentStateException) DeactivateOnIdle();
            throw;
        }
        _outbox.OnStateWritten();
        _snapshot = Current(next);
        var key = this.GetPrimaryKeyString();
        var snapshot = _snapshot;
        await Task.WhenAll(
            PartitionApply.RunAsync(() => GrainFactory.GetGrain<IQuestionPartitionGrain>(IndexPartitions.Of(key)).ApplyAsync(key, next.Version, snapshot), key, logger),
            item is null ? Task.CompletedTask : _outbox.PublishAsync([item]));
    }

    private static QuestionSnapshot? Current(QuestionState s) => s.Exists ? s.Question?.ToSnapshot(s.Version) : null;
}
