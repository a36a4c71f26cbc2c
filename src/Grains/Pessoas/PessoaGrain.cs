using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Pessoas;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// One person, keyed <c>pessoas/{id}</c>, where the id is derived from the apelido (<see cref="PessoaIds"/>): this
/// grain is the one place that decides whether its apelido is taken. Creating is one durable write that carries
/// the creation event (outbox); the write is an insert (no stored version), so the database refuses it if the row
/// already exists — the apelido was taken in an earlier life of the grain — and a new activation needs no read
/// before it creates. Requests are handled one at a time, so of two concurrent creates with one apelido exactly
/// one wins. The person is then added to its index partition (so the count is exact when the 201 is sent) and
/// the event is published while the answer goes back.
/// </summary>
/// <remarks>
/// A person never changes after its creation, so its stored outbox is not rewritten once the event log confirms
/// the event (that would be a second write per person). The stored event is harmless: events are de-duplicated
/// by id wherever they are seen again (the partition checks stored events against the log when it rebuilds;
/// a person loaded from storage publishes it again and the log writer skips it).
/// </remarks>
[Orleans.Placement.PreferLocalPlacement] // created by the caller's silo (the front door is a local stateless worker): no extra network hop
public sealed partial class PessoaGrain : Grain, IPessoaGrain, IEventSourceGrain
{
    /// <summary>The storage name of person states (unique among grain classes).</summary>
    public const string StateName = "pessoa";

    private readonly StoredState<PessoaState> _state;
    private readonly ILogger<PessoaGrain> _logger;
    private readonly string _id;
    private readonly EventOutbox _outbox;
    private Pessoa? _pessoa;

    /// <summary>Creates the grain; its state is read from <see cref="ProviderNames.Storage"/> only when a read needs it.</summary>
    public PessoaGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, ILogger<PessoaGrain> logger)
    {
        _state = new StoredState<PessoaState>(storage, StateName, this.GetGrainId());
        _logger = logger;
        var key = this.GetPrimaryKeyString();
        _id = key.StartsWith(PessoaKeys.Scope + "/", StringComparison.Ordinal) ? key[(PessoaKeys.Scope.Length + 1)..] : "";
        _outbox = new EventOutbox(this, () => _state.State.Outbox, logger);
    }

    /// <inheritdoc />
    public async Task<Outcome<Pessoa>> CreateAsync(NovaPessoa nova)
    {
        if (_pessoa is not null) return Taken();
        if (PessoaRules.Validate(nova) is { } errors) return Outcome<Pessoa>.Invalid(errors);
        if (!Guid.TryParse(_id, out var id) || PessoaKeys.Format(id) != _id || PessoaIds.ForApelido(nova.Apelido!) != id)
        {
            return Outcome<Pessoa>.BadRequest($"Person '{_id}' is not the person of apelido '{nova.Apelido}': create people through {nameof(IPessoasGrain)}.");
        }

        // No read first: if this apelido's row exists (an earlier life of the grain), the insert below is refused.
        _state.AssumeNew();
        var now = DateTimeOffset.UtcNow;
        var pessoa = new Pessoa(_id, nova.Apelido!, nova.Nome!, nova.Nascimento!, nova.Stack);
        var item = _outbox.NewEvent(PessoaEvents.Created, PessoaKeys.Scope, _id, PessoaJson.ToJson(pessoa), now);
        var previous = _state.State;
        _state.State = new PessoaState
        {
            Apelido = pessoa.Apelido,
            Nome = pessoa.Nome,
            Nascimento = pessoa.Nascimento,
            Stack = pessoa.Stack,
            CreatedAt = now,
            Outbox = [.. previous.Outbox, item],
        };
        try
        {
            await _state.WriteAsync();
        }
        catch (InconsistentStateException)
        {
            // The row exists: this apelido was taken before this activation (before a restart, or by an
            // activation on another silo). Load the stored person so reads see it.
            _state.State = previous;
            _state.Forget();
            await LoadAsync();
            return Taken();
        }
        catch (Exception e)
        {
            // The insert may have been applied: the stored state decides (see WriteReadBack).
            var fate = await WriteReadBack.ResolveAsync(this, _state.ReloadAsync, () => _outbox.Holds(item), FollowThroughAsync, _logger, e);
            if (fate == WriteFate.NotWritten && _state.RecordExists && ToPessoa(_id, _state.State) is { } stored)
            {
                // Not ours: another activation stored this apelido's person meanwhile.
                _pessoa = stored;
                return Taken();
            }
            if (fate != WriteFate.Written) throw;
        }

        _outbox.OnStateWritten();
        _pessoa = pessoa;
        await IndexAsync(pessoa);
        // The event is durable in the outbox already: publish it without holding up the answer (PublishAsync
        // handles its own failures; the outbox's timer publishes again until the log confirms the event).
        _ = _outbox.PublishAsync([item]);
        return Outcome<Pessoa>.Created(pessoa);
    }

    /// <inheritdoc />
    public async Task<Pessoa?> GetAsync()
    {
        if (!_state.IsLoaded) await LoadAsync();
        return _pessoa;
    }

    /// <inheritdoc />
    public Task ConfirmEventsAsync(Guid[] eventIds)
    {
        _outbox.Confirm(eventIds);
        return Task.CompletedTask;
    }

    /// <summary>The person a stored state describes, or null when it describes none.</summary>
    public static Pessoa? ToPessoa(string id, PessoaState state)
        => state is { Apelido: { } apelido, Nome: { } nome, Nascimento: { } nascimento }
            ? new Pessoa(id, apelido, nome, nascimento, state.Stack)
            : null;

    private async Task LoadAsync()
    {
        await _state.LoadAsync();
        _pessoa = _state.RecordExists ? ToPessoa(_id, _state.State) : null;
        if (_pessoa is null)
        {
            // Nobody here (a read of an unknown id): free the memory once idle.
            DeactivateOnIdle();
            return;
        }
        await _outbox.PublishPendingAsync();
    }

    /// <summary>After a create's fate became known late: if the person is stored, what an acknowledged create does.</summary>
    private async Task FollowThroughAsync()
    {
        _pessoa = _state.RecordExists ? ToPessoa(_id, _state.State) : null;
        if (_pessoa is null) return;
        await Task.WhenAll(IndexAsync(_pessoa), _outbox.PublishPendingAsync());
    }

    private async Task IndexAsync(Pessoa pessoa)
    {
        var partition = GrainFactory.GetGrain<IPessoaIndexGrain>(Partitioning.Of(_id));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await partition.AddAsync(pessoa);
                return;
            }
            catch (Exception e) when (attempt < 3)
            {
                LogIndexRetry(_logger, e, _id, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt));
            }
            catch (Exception e)
            {
                // The person is durable; the partition reloads it from storage when it is next activated.
                LogIndexFailed(_logger, e, _id);
                return;
            }
        }
    }

    private static Outcome<Pessoa> Taken() => Outcome<Pessoa>.Invalid("apelido", "is already taken");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index partition did not take person {Id} (attempt {Attempt}); retrying")]
    private static partial void LogIndexRetry(ILogger logger, Exception exception, string id, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index partition did not take person {Id}; it will reload it from storage")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception, string id);
}
