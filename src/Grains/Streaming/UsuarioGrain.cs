using InMemoryDb.Grains.Persistence;
using InMemoryDb.Grains.Tables;
using InMemoryDb.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Streaming;

/// <summary>The persisted state of a <see cref="UsuarioGrain"/> (a row exists once the user was created).</summary>
public sealed class UsuarioState : EntityState
{
    /// <summary>The profile (null until created).</summary>
    public Usuario? Usuario { get; set; }

    /// <summary>The preferences (null until first set).</summary>
    public Preferencias? Preferencias { get; set; }

    /// <summary>Subscriptions, newest first (at most <see cref="UsuarioGrain.MaxSubscriptions"/>).</summary>
    public List<Assinatura> Assinaturas { get; set; } = [];
}

/// <summary>
/// A user of the platform (<see cref="IUsuarioGrain"/>): its requests run one at a time, so of two concurrent
/// subscriptions exactly one stays active and no preference change is lost. Creating reserves the email and the CPF
/// first (<see cref="UniqueValueGrain"/>, in parallel), then inserts the user with its event; the user joins its index
/// partition (listings, counts) before the create is answered.
/// </summary>
[GrainType("streaming-usuario")] // the prefix marks its events for the event log's correlation index
public sealed class UsuarioGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, ILogger<UsuarioGrain> logger)
    : EntityGrain<UsuarioState>(storage, StateName, logger), IUsuarioGrain
{
    /// <summary>The storage name of user states (unique among grain classes).</summary>
    public const string StateName = "usuario";

    /// <summary>The most subscriptions a user's history keeps (the oldest superseded ones go; the event log keeps them all).</summary>
    public const int MaxSubscriptions = 100;

    private long UserId => StreamingKeys.IdOf(this.GetPrimaryKeyString());

    /// <inheritdoc />
    public async Task<Outcome<Usuario>> CreateAsync(NovoUsuario novo)
    {
        var userId = UserId;
        if (userId == 0) return Outcome<Usuario>.BadRequest($"'{this.GetPrimaryKeyString()}' is not a user key ({StreamingKeys.Users}/{{user_id}}).");
        if (novo.UserId is { } given && given != userId) return Outcome<Usuario>.BadRequest($"user_id {given} is not this grain's user ({userId}).");
        Dictionary<string, string[]>? errors = null;
        var nome = StreamingRules.Nfc(novo.Nome);
        if (nome is null) StreamingRules.Add(ref errors, "nome", "is required.");
        else if (StreamingRules.CheckText(nome) is { } problem) StreamingRules.Add(ref errors, "nome", problem);
        var email = novo.Email?.Trim();
        if (email is null) StreamingRules.Add(ref errors, "email", "is required.");
        else if (!StreamingRules.IsEmail(email)) StreamingRules.Add(ref errors, "email", "must be a valid email address.");
        var cpf = novo.Cpf is null ? null : StreamingRules.NormalizeCpf(novo.Cpf);
        if (novo.Cpf is null) StreamingRules.Add(ref errors, "cpf", "is required.");
        else if (cpf is null) StreamingRules.Add(ref errors, "cpf", "must be a valid CPF: 11 digits (punctuation allowed) with correct check digits.");
        if (errors is not null) return Outcome<Usuario>.Invalid(errors);

        // No read first: a user id is almost always new (allocated, or chosen by the client). If a user exists, the
        // insert below is refused, and only the values this request reserved are released.
        if (!IsLoaded) AssumeNew();
        else if (RecordExists) return Taken("user_id", $"User {userId} already exists.");

        var owner = userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var emailKey = Unique("email", StreamingRules.NormalizeEmail(email!));
        var cpfKey = Unique("cpf", cpf!);
        var reservations = await Task.WhenAll(emailKey.ReserveAsync(owner), cpfKey.ReserveAsync(owner));
        if (reservations[0] == Reservation.Taken || reservations[1] == Reservation.Taken)
        {
            await ReleaseAsync(owner, (emailKey, reservations[0]), (cpfKey, reservations[1]));
            return reservations[0] == Reservation.Taken
                ? Taken("email", $"Another user has the email '{email}'.")
                : Taken("cpf", $"Another user has the CPF '{cpf}'.");
        }

        var usuario = new Usuario(userId, nome!, email!, cpf!, DateTimeOffset.UtcNow);
        try
        {
            await CommitAsync(new UsuarioState { Usuario = usuario },
                NewEvent(StreamingEvents.UserCreated, StreamingKeys.Users, owner, StreamingJson.Write(usuario), usuario.DataCriacao));
        }
        catch (InconsistentStateException)
        {
            // Created meanwhile by another activation (a silo that died or was partitioned away): that one stands.
            await ReleaseAsync(owner, (emailKey, reservations[0]), (cpfKey, reservations[1]));
            await LoadAsync();
            return Taken("user_id", $"User {userId} already exists.");
        }
        return Outcome<Usuario>.Created(usuario);
    }

    /// <inheritdoc />
    public async Task<Usuario?> GetAsync()
    {
        await LoadAsync();
        return State.Usuario;
    }

    /// <inheritdoc />
    public async Task<bool> HoldsValueAsync(string field, string normalizedValue)
    {
        await LoadAsync();
        return State.Usuario is { } usuario && field switch
        {
            "email" => StreamingRules.NormalizeEmail(usuario.Email) == normalizedValue,
            "cpf" => usuario.Cpf == normalizedValue,
            _ => false,
        };
    }

    /// <inheritdoc />
    public async Task<Outcome<Assinatura>> SubscribeAsync(NovaAssinatura nova)
    {
        Dictionary<string, string[]>? errors = null;
        var plano = nova.Plano is null ? StreamingRules.Pick(StreamingValues.Planos) : StreamingRules.OneOf(nova.Plano, StreamingValues.Planos);
        if (plano is null) StreamingRules.Add(ref errors, "plano", StreamingRules.NotOneOf(StreamingValues.Planos));
        var status = nova.Status is null ? StreamingValues.Ativa : StreamingRules.OneOf(nova.Status, StreamingValues.StatusAssinatura);
        if (status is null) StreamingRules.Add(ref errors, "status", StreamingRules.NotOneOf(StreamingValues.StatusAssinatura));
        var now = DateTimeOffset.UtcNow;
        var inicio = nova.Inicio ?? DateOnly.FromDateTime(now.UtcDateTime);
        var fim = nova.Fim ?? inicio.AddDays(30);
        if (fim < inicio) StreamingRules.Add(ref errors, "fim", "must not be before inicio.");
        if (errors is not null) return Outcome<Assinatura>.Invalid(errors);

        if (await MissingAsync() is { } missing) return missing.As<Assinatura>();
        var current = State;
        var assinatura = new Assinatura(Guid.NewGuid().ToString("N"), UserId, plano!, inicio, fim, status!, now);
        var history = new List<Assinatura>(Math.Min(current.Assinaturas.Count + 1, MaxSubscriptions)) { assinatura };
        foreach (var earlier in current.Assinaturas)
        {
            if (history.Count == MaxSubscriptions) break;
            history.Add(status == StreamingValues.Ativa && earlier.Status == StreamingValues.Ativa ? earlier with { Status = StreamingValues.Substituida } : earlier);
        }
        await CommitAsync(new UsuarioState { Usuario = current.Usuario, Preferencias = current.Preferencias, Assinaturas = history },
            NewEvent(StreamingEvents.Subscribed, StreamingKeys.Users, Key, StreamingJson.Write(assinatura), now));
        return Outcome<Assinatura>.Created(assinatura);
    }

    /// <inheritdoc />
    public async Task<Outcome<Assinaturas>> GetSubscriptionsAsync()
    {
        if (await MissingAsync() is { } missing) return missing.As<Assinaturas>();
        var history = State.Assinaturas;
        return Outcome<Assinaturas>.Ok(new Assinaturas(UserId, history.FirstOrDefault(a => a.Status == StreamingValues.Ativa), history));
    }

    /// <inheritdoc />
    public async Task<Outcome<Preferencias>> SetPreferencesAsync(NovasPreferencias novas, long? ifVersion)
    {
        Dictionary<string, string[]>? errors = null;
        var idioma = novas.Idioma is null ? null : StreamingRules.OneOf(novas.Idioma, StreamingValues.Idiomas);
        if (novas.Idioma is not null && idioma is null) StreamingRules.Add(ref errors, "idioma", StreamingRules.NotOneOf(StreamingValues.Idiomas));
        var tema = novas.Tema is null ? null : StreamingRules.OneOf(novas.Tema, StreamingValues.Temas);
        if (novas.Tema is not null && tema is null) StreamingRules.Add(ref errors, "tema", StreamingRules.NotOneOf(StreamingValues.Temas));
        if (errors is not null) return Outcome<Preferencias>.Invalid(errors);

        if (await MissingAsync() is { } missing) return missing.As<Preferencias>();
        var current = State;
        var held = current.Preferencias;
        if (ifVersion is { } expected && expected != (held?.Versao ?? 0))
        {
            return Outcome<Preferencias>.PreconditionFailed($"The preferences are at version {held?.Versao ?? 0}, not {expected}: read them again and retry.");
        }
        var now = DateTimeOffset.UtcNow;
        var next = new Preferencias(
            UserId,
            idioma ?? held?.Idioma ?? StreamingRules.Pick(StreamingValues.Idiomas),
            novas.Notificacoes ?? held?.Notificacoes ?? Random.Shared.Next(2) == 0,
            tema ?? held?.Tema ?? StreamingRules.Pick(StreamingValues.Temas),
            now,
            (held?.Versao ?? 0) + 1);
        await CommitAsync(new UsuarioState { Usuario = current.Usuario, Preferencias = next, Assinaturas = current.Assinaturas },
            NewEvent(StreamingEvents.PreferencesChanged, StreamingKeys.Users, Key, StreamingJson.Write(next), now));
        return Outcome<Preferencias>.Ok(next);
    }

    /// <inheritdoc />
    public async Task<Outcome<Preferencias?>> GetPreferencesAsync()
    {
        if (await MissingAsync() is { } missing) return missing.As<Preferencias?>();
        return Outcome<Preferencias?>.Ok(State.Preferencias);
    }

    /// <inheritdoc />
    protected override Task ProjectAsync()
        => State.Usuario is { } usuario
            ? GrainFactory.GetGrain<IUsuarioPartitionGrain>(Partitioning.Of(Key)).AddAsync(usuario)
            : Task.CompletedTask;

    private string Key => UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Null when the user exists, else the not-found outcome (the grain then leaves once idle).</summary>
    private async Task<Outcome<object>?> MissingAsync()
    {
        await LoadAsync();
        if (State.Usuario is not null) return null;
        DeactivateOnIdle();
        return Outcome<object>.NotFound(NotFound(UserId));
    }

    /// <summary>A conflict on <paramref name="field"/> (its error names it, so a caller that generated the value can draw another).</summary>
    private static Outcome<Usuario> Taken(string field, string detail)
        => new(OutcomeKind.Conflict, Detail: detail, Errors: new Dictionary<string, string[]> { [field] = ["is taken"] });

    /// <summary>The detail of a request for a user that does not exist.</summary>
    public static string NotFound(long userId) => $"User {userId} does not exist.";

    private IUniqueValueGrain Unique(string field, string value) => GrainFactory.GetGrain<IUniqueValueGrain>($"{StreamingKeys.UniqueScope}/{field}/{value}");

    private static Task ReleaseAsync(string owner, params (IUniqueValueGrain Grain, Reservation Result)[] reservations)
        => Task.WhenAll(reservations.Where(r => r.Result == Reservation.Reserved).Select(r => r.Grain.ReleaseAsync(owner)));
}
