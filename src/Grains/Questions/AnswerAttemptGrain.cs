using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Questions;
using Orleans.Storage;

namespace InMemoryDb.Grains.Questions;

/// <summary>
/// One answer attempt, keyed <c>answers/{usuario}/{question_id}/{nro_tentativa}</c>. Requests run one at a time, so
/// concurrent creates of one attempt have exactly one winner and one event. Correctness is decided against the
/// question when the attempt is recorded and stored with it.
/// </summary>
public sealed partial class AnswerAttemptGrain(
    [PersistentState(AnswerAttemptGrain.StateName, ProviderNames.Storage)] IPersistentState<AnswerState> state,
    ILogger<AnswerAttemptGrain> logger) : Grain, IAnswerAttemptGrain, IAnswerBulkDeleteGrain, IEventSourceGrain
{
    /// <summary>The storage name of attempt states (unique among grain classes).</summary>
    public const string StateName = "answer-attempt";

    private (string Usuario, long QuestionId, long NroTentativa) _key;
    private AnswerSnapshot? _snapshot;
    private EventOutbox _outbox = null!;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = QuestionKeys.ParseAnswer(this.GetPrimaryKeyString());
        _outbox = new EventOutbox(this, () => state.State.Outbox, logger);
        _snapshot = Current(state.State);
        return _outbox.PublishPendingAsync();
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
        => _outbox.DropConfirmedAsync(reason, state.RecordExists, () => state.WriteStateAsync(cancellationToken));

    /// <inheritdoc />
    public async Task<Outcome<AnswerSnapshot>> CreateAsync(AnswerInput input)
    {
        if ((input.Usuario, input.QuestionId, input.NroTentativa) != _key)
        {
            return Outcome<AnswerSnapshot>.BadRequest($"This grain holds the attempt {this.GetPrimaryKeyString()}, not the one given.");
        }
        var errors = QuestionRules.Check(input);
        if (errors.Count > 0) return Outcome<AnswerSnapshot>.Invalid(errors);
        if (state.State.Exists) return Outcome<AnswerSnapshot>.Conflict("Answer already exists");

        var correct = await GrainFactory.GetGrain<IQuestionGrain>(QuestionKeys.Question(input.QuestionId)).JudgeAsync(input.AlternativaEscolhida);
        if (correct is not { } isCorrect) return Outcome<AnswerSnapshot>.NotFound("Question not found");

        var stored = new StoredAnswer
        {
            QuestionId = input.QuestionId,
            AlternativaEscolhida = input.AlternativaEscolhida,
            Datahora = input.Datahora,
            Usuario = input.Usuario,
            NroTentativa = input.NroTentativa,
            IsCorrect = isCorrect,
            RecordedAt = DateTimeOffset.UtcNow,
        };
        var next = new AnswerState { Exists = true, Answer = stored, Version = state.State.Version + 1 };
        var item = _outbox.NewEvent(EventMethods.CreateAnswer, QuestionKeys.Answers, EventKey, QuestionJson.ToJson(stored.ToSnapshot(next.Version)), stored.RecordedAt);
        await CommitAsync(next, item);
        return Outcome<AnswerSnapshot>.Ok(_snapshot!);
    }

    /// <inheritdoc />
    public Task<AnswerSnapshot?> GetAsync() => Task.FromResult(_snapshot);

    /// <inheritdoc />
    public async Task<AnswerSnapshot?> DeleteInBulkAsync(Guid operation)
    {
        if (_snapshot is not { } deleted)
        {
            return state.State.DeletedBy == operation && state.State.Answer is { } tombstone ? tombstone.ToSnapshot(state.State.Version - 1) : null;
        }
        var next = new AnswerState { Exists = false, Answer = state.State.Answer, Version = state.State.Version + 1, DeletedBy = operation };
        await CommitAsync(next, item: null);
        return deleted;
    }

    /// <inheritdoc />
    public Task ConfirmEventsAsync(Guid[] eventIds)
    {
        _outbox.Confirm(eventIds);
        return Task.CompletedTask;
    }

    /// <summary>The event key: the grain key without its scope, <c>{usuario}/{question_id}/{nro_tentativa}</c>.</summary>
    private string EventKey => this.GetPrimaryKeyString()[(QuestionKeys.Answers.Length + 1)..];

    private async Task CommitAsync(AnswerState next, EventEnvelope? item)
    {
        next.Outbox = item is null ? state.State.Outbox : [.. state.State.Outbox, item];
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
        catch (Exception e)
        {
            // The write may have been applied: the stored state decides (see WriteReadBack). A write is recognised
            // by its event, or (a bulk delete, which has none) by its version and operation.
            var fate = await WriteReadBack.ResolveAsync(this, state.ReadStateAsync, () => item is null
                ? state.State.Version == next.Version && state.State.DeletedBy == next.DeletedBy
                : _outbox.Holds(item), FollowThroughAsync, logger, e);
            if (fate == WriteFate.Unknown) state.State = previous;
            if (fate != WriteFate.Written)
            {
                _snapshot = Current(state.State);
                throw;
            }
        }
        _outbox.OnStateWritten();
        _snapshot = Current(state.State);
        await Task.WhenAll(ApplyToPartitionAsync(), item is null ? Task.CompletedTask : _outbox.PublishAsync([item]));
    }

    /// <summary>After a write's fate became known late: what an acknowledged write does, for whatever is stored.</summary>
    private Task FollowThroughAsync()
    {
        _snapshot = Current(state.State);
        return state.State.Version == 0 ? Task.CompletedTask : Task.WhenAll(ApplyToPartitionAsync(), _outbox.PublishPendingAsync());
    }

    private Task ApplyToPartitionAsync()
    {
        var key = this.GetPrimaryKeyString();
        var (version, snapshot) = (state.State.Version, _snapshot);
        return PartitionApply.RunAsync(() => GrainFactory.GetGrain<IAnswerPartitionGrain>(IndexPartitions.Of(key)).ApplyAsync(key, version, snapshot), key, logger);
    }

    private static AnswerSnapshot? Current(AnswerState s) => s.Exists ? s.Answer?.ToSnapshot(s.Version) : null;
}
