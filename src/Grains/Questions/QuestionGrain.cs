using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using InMemoryDb.Questions;
using Orleans.Storage;

namespace InMemoryDb.Grains.Questions;

/// <summary>
/// One question, keyed <c>questions/{question_id}</c>. A change is committed with its event through the entity kernel
/// (<see cref="EntityGrain{TState}"/>) and applied to the question's index partition before it is acknowledged.
/// Requests run one at a time, so concurrent creates of one id have exactly one winner and one event.
/// </summary>
public sealed class QuestionGrain(
    [FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage,
    ILogger<QuestionGrain> logger) : EntityGrain<QuestionState>(storage, StateName, logger), IQuestionGrain, IQuestionBulkDeleteGrain
{
    /// <summary>The storage name of question states (unique among grain classes).</summary>
    public const string StateName = "question";

    private long _id;
    private QuestionSnapshot? _snapshot;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = QuestionKeys.ParseQuestion(this.GetPrimaryKeyString());
        return LoadAsync();
    }

    /// <inheritdoc />
    public async Task<Outcome<QuestionSnapshot>> CreateAsync(QuestionInput input)
    {
        await LoadAsync();
        if (input.QuestionId != _id) return Outcome<QuestionSnapshot>.BadRequest($"This grain holds question {_id}, not {input.QuestionId}.");
        var (errors, letter) = QuestionRules.Check(input);
        if (errors.Count > 0) return Outcome<QuestionSnapshot>.Invalid(errors);
        if (State.Exists) return Outcome<QuestionSnapshot>.Conflict("Question already exists");

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
        var next = new QuestionState { Exists = true, Question = stored, Version = State.Version + 1 };
        var item = NewEvent(EventMethods.CreateQuestion, QuestionKeys.Questions, Key, QuestionJson.ToJson(stored.ToSnapshot(next.Version)), stored.CreatedAt);
        await CommitAsync(next, item);
        return Outcome<QuestionSnapshot>.Ok(_snapshot!);
    }

    /// <inheritdoc />
    public async Task<QuestionSnapshot?> GetAsync()
    {
        await LoadAsync();
        return _snapshot;
    }

    /// <inheritdoc />
    public async Task<Outcome<QuestionSnapshot>> DeleteAsync()
    {
        await LoadAsync();
        if (_snapshot is not { } deleted) return Outcome<QuestionSnapshot>.NotFound("Question not found");
        var next = new QuestionState { Exists = false, Question = State.Question, Version = State.Version + 1 };
        var item = NewEvent(EventMethods.DeleteQuestion, QuestionKeys.Questions, Key, QuestionJson.ToJson(deleted), DateTimeOffset.UtcNow);
        await CommitAsync(next, item);
        return Outcome<QuestionSnapshot>.Ok(deleted);
    }

    /// <inheritdoc />
    public async Task<QuestionSnapshot?> DeleteInBulkAsync(Guid operation)
    {
        await LoadAsync();
        if (_snapshot is not { } deleted)
        {
            return State.DeletedBy == operation && State.Question is { } tombstone ? tombstone.ToSnapshot(State.Version - 1) : null;
        }
        var next = new QuestionState { Exists = false, Question = State.Question, Version = State.Version + 1, DeletedBy = operation };
        await CommitAsync(next);
        return deleted;
    }

    /// <inheritdoc />
    public async Task<bool?> JudgeAsync(string alternativaEscolhida)
    {
        await LoadAsync();
        return _snapshot is { } question ? QuestionRules.IsCorrect(question, alternativaEscolhida) : null;
    }

    private string Key => _id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    protected override void OnStateChanged() => _snapshot = Current(State);

    /// <inheritdoc />
    protected override Task ProjectAsync()
    {
        var key = this.GetPrimaryKeyString();
        return GrainFactory.GetGrain<IQuestionPartitionGrain>(IndexPartitions.Of(key)).ApplyAsync(key, State.Version, _snapshot);
    }

    private static QuestionSnapshot? Current(QuestionState s) => s.Exists ? s.Question?.ToSnapshot(s.Version) : null;
}
