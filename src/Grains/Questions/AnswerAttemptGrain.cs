using Microsoft.Extensions.DependencyInjection;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Questions;
using Orleans.Storage;

namespace InMemoryDb.Grains.Questions;

/// <summary>
/// One answer attempt, keyed <c>answers/{usuario}/{question_id}/{nro_tentativa}</c>. Requests run one at a time, so
/// concurrent creates of one attempt have exactly one winner and one event. Correctness is decided against the
/// question when the attempt is recorded and stored with it.
/// </summary>
public sealed class AnswerAttemptGrain(
    [FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage,
    ILogger<AnswerAttemptGrain> logger) : EntityGrain<AnswerState>(storage, StateName, logger), IAnswerAttemptGrain, IAnswerBulkDeleteGrain
{
    /// <summary>The storage name of attempt states (unique among grain classes).</summary>
    public const string StateName = "answer-attempt";

    private (string Usuario, long QuestionId, long NroTentativa) _key;
    private AnswerSnapshot? _snapshot;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = QuestionKeys.ParseAnswer(this.GetPrimaryKeyString());
        return LoadAsync();
    }

    /// <inheritdoc />
    public async Task<Outcome<AnswerSnapshot>> CreateAsync(AnswerInput input)
    {
        if ((input.Usuario, input.QuestionId, input.NroTentativa) != _key)
        {
            return Outcome<AnswerSnapshot>.BadRequest($"This grain holds the attempt {this.GetPrimaryKeyString()}, not the one given.");
        }
        await LoadAsync();
        var errors = QuestionRules.Check(input);
        if (errors.Count > 0) return Outcome<AnswerSnapshot>.Invalid(errors);
        if (State.Exists) return Outcome<AnswerSnapshot>.Conflict("Answer already exists");

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
        var next = new AnswerState { Exists = true, Answer = stored, Version = State.Version + 1 };
        var item = NewEvent(EventMethods.CreateAnswer, QuestionKeys.Answers, EventKey, QuestionJson.ToJson(stored.ToSnapshot(next.Version)), stored.RecordedAt);
        await CommitAsync(next, item);
        return Outcome<AnswerSnapshot>.Ok(_snapshot!);
    }

    /// <inheritdoc />
    public async Task<AnswerSnapshot?> GetAsync()
    {
        await LoadAsync();
        return _snapshot;
    }

    /// <inheritdoc />
    public async Task<AnswerSnapshot?> DeleteInBulkAsync(Guid operation)
    {
        await LoadAsync();
        if (_snapshot is not { } deleted)
        {
            return State.DeletedBy == operation && State.Answer is { } tombstone ? tombstone.ToSnapshot(State.Version - 1) : null;
        }
        var next = new AnswerState { Exists = false, Answer = State.Answer, Version = State.Version + 1, DeletedBy = operation };
        await CommitAsync(next);
        return deleted;
    }

    /// <summary>The event key: the grain key without its scope, <c>{usuario}/{question_id}/{nro_tentativa}</c>.</summary>
    private string EventKey => this.GetPrimaryKeyString()[(QuestionKeys.Answers.Length + 1)..];

    /// <inheritdoc />
    protected override void OnStateChanged() => _snapshot = Current(State);

    /// <inheritdoc />
    protected override Task ProjectAsync()
    {
        var key = this.GetPrimaryKeyString();
        return GrainFactory.GetGrain<IAnswerPartitionGrain>(IndexPartitions.Of(key)).ApplyAsync(key, State.Version, _snapshot);
    }

    private static AnswerSnapshot? Current(AnswerState s) => s.Exists ? s.Answer?.ToSnapshot(s.Version) : null;
}
