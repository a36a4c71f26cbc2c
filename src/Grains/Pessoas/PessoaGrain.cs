using InMemoryDb.Grains.Persistence;
using InMemoryDb.Pessoas;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// One person, keyed <c>pessoas/{id}</c>, where the id is derived from the apelido (<see cref="PessoaIds"/>): this
/// grain is the one place that decides whether its apelido is taken. Creating is one durable write that carries
/// the creation event (entity kernel, <see cref="EntityGrain{TState}"/>); the write is an insert (no stored version),
/// so the database refuses it if the row already exists — the apelido was taken in an earlier life of the grain —
/// and a new activation needs no read before it creates. Requests are handled one at a time, so of two concurrent
/// creates with one apelido exactly one wins. The person is added to its index partition before the 201, so the
/// count is exact when it is sent.
/// </summary>
[Orleans.Placement.PreferLocalPlacement] // created by the caller's silo (the front door is a local stateless worker): no extra network hop
public sealed class PessoaGrain : EntityGrain<PessoaState>, IPessoaGrain
{
    /// <summary>The storage name of person states (unique among grain classes).</summary>
    public const string StateName = "pessoa";

    private readonly string _id;
    private Pessoa? _pessoa;

    /// <summary>Creates the grain; its state is read from <see cref="ProviderNames.Storage"/> only when a read needs it.</summary>
    public PessoaGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, ILogger<PessoaGrain> logger)
        : base(storage, StateName, logger)
    {
        var key = this.GetPrimaryKeyString();
        _id = key.StartsWith(PessoaKeys.Scope + "/", StringComparison.Ordinal) ? key[(PessoaKeys.Scope.Length + 1)..] : "";
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
        if (!IsLoaded) AssumeNew();
        else if (RecordExists) return Taken();
        var now = DateTimeOffset.UtcNow;
        var pessoa = new Pessoa(_id, nova.Apelido!, nova.Nome!, nova.Nascimento!, nova.Stack);
        var item = NewEvent(PessoaEvents.Created, PessoaKeys.Scope, _id, PessoaJson.ToJson(pessoa), now);
        try
        {
            await CommitAsync(new PessoaState
            {
                Apelido = pessoa.Apelido,
                Nome = pessoa.Nome,
                Nascimento = pessoa.Nascimento,
                Stack = pessoa.Stack,
                CreatedAt = now,
            }, item);
        }
        catch (InconsistentStateException)
        {
            // The row exists: this apelido was taken before this activation (before a restart, or by an
            // activation on another silo). Load the stored person so reads see it.
            await LoadAsync();
            return Taken();
        }
        catch (Exception) when (IsLoaded && _pessoa is not null)
        {
            // The write's fate was unknown and reading back found another activation's person under this apelido.
            return Taken();
        }
        return Outcome<Pessoa>.Created(pessoa);
    }

    /// <inheritdoc />
    public async Task<Pessoa?> GetAsync()
    {
        await LoadAsync();
        if (_pessoa is null) DeactivateOnIdle(); // nobody here (a read of an unknown id): free the memory once idle
        return _pessoa;
    }

    /// <summary>The person a stored state describes, or null when it describes none.</summary>
    public static Pessoa? ToPessoa(string id, PessoaState state)
        => state is { Apelido: { } apelido, Nome: { } nome, Nascimento: { } nascimento }
            ? new Pessoa(id, apelido, nome, nascimento, state.Stack)
            : null;

    /// <inheritdoc />
    protected override void OnStateChanged() => _pessoa = IsLoaded && RecordExists ? ToPessoa(_id, State) : null;

    /// <inheritdoc />
    protected override Task ProjectAsync()
        => _pessoa is { } pessoa ? GrainFactory.GetGrain<IPessoaIndexGrain>(Partitioning.Of(_id)).AddAsync(pessoa) : Task.CompletedTask;

    private static Outcome<Pessoa> Taken() => Outcome<Pessoa>.Invalid("apelido", "is already taken");
}
