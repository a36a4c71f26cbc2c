using InMemoryDb.Events;
using InMemoryDb.KeyValue;
using InMemoryDb.Tables;
using InMemoryDb.Grains.KeyValue;
using InMemoryDb.Grains.Pessoas;
using InMemoryDb.Grains.Tables;
using InMemoryDb.Pessoas;
using InMemoryDb.Grains.Questions;
using InMemoryDb.Questions;

namespace InMemoryDb.Tests.Grains;

/// <summary>
/// A state write that fails without saying whether it was applied (the database committed, the answer was lost):
/// the grain reads its state back and acts on what is stored, never on a guess.
/// </summary>
[Collection(FaultyStorageCollection.Name)]
public sealed class AmbiguousWriteTests(FaultyStorageClusterFixture fixture)
{
    private static string UserJson(string id, string email) => $$"""{"id":"{{id}}","email":"{{email}}","full_name":"Ann","password":"12345678"}""";

    private static string NewEmail() => $"amb{Guid.NewGuid():N}@example.com";

    private ITableGrain Users => fixture.Client.GetGrain<ITableGrain>(TableNames.Users);

    private IRecordGrain User(string id) => fixture.Client.GetGrain<IRecordGrain>(TableNames.RecordKey(TableNames.Users, id));

    private IEventLogGrain Log => fixture.Client.GetGrain<IEventLogGrain>(0);

    [Fact]
    public async Task CreateWhoseAnswerWasLostIsAcknowledgedIndexedAndLoggedOnce()
    {
        var table = Http.NewTable();
        fixture.Storage.Arm(RecordGrain.StateName, TableNames.RecordKey(table, "r1"), WriteFault.AnswerLost);

        var created = await fixture.Client.GetGrain<ITableGrain>(table).CreateAsync("""{"id":"r1","v":1}""");

        Assert.Equal(OutcomeKind.Created, created.Kind);
        Assert.Equal(0, fixture.Storage.Pending);
        Assert.Equal(1, await fixture.Client.GetGrain<ITableGrain>(table).CountAsync());
        var logged = await Eventually.Poll(() => Log.ReadAsync(0, 100_000), events => events.Any(e => e.Event.Entity == table));
        Assert.Single(logged, e => e.Event.Entity == table);
        // The grain's copy of the version is the stored one: the next change is not refused as a conflict.
        var updated = await fixture.Client.GetGrain<IRecordGrain>(TableNames.RecordKey(table, "r1")).UpdateAsync("""{"v":2}""", expectedVersion: 1);
        Assert.Equal(OutcomeKind.Ok, updated.Kind);
        Assert.Equal(2, updated.Value!.Version);
    }

    [Fact]
    public async Task RefusedUserCreateReleasesItsEmailAtOnce()
    {
        var email = NewEmail();
        fixture.Storage.Arm(RecordGrain.StateName, TableNames.RecordKey(TableNames.Users, "refused"), WriteFault.Refused);

        await Assert.ThrowsAnyAsync<Exception>(() => Users.CreateAsync(UserJson("refused", email)));

        Assert.Null(await User("refused").GetAsync());
        var retry = await Users.CreateAsync(UserJson("retry" + Guid.NewGuid().ToString("N")[..8], email));
        Assert.Equal(OutcomeKind.Created, retry.Kind);
    }

    [Fact]
    public async Task UserCreateOfUnknownFateKeepsItsEmailAndIsFoundOnceStorageAnswers()
    {
        var email = NewEmail();
        var id = "unknown" + Guid.NewGuid().ToString("N")[..8];
        // The write is applied, its answer lost, and the read-back fails too: the grain cannot know yet.
        fixture.Storage.Arm(RecordGrain.StateName, TableNames.RecordKey(TableNames.Users, id), WriteFault.AnswerLost, failedReads: 1);

        await Assert.ThrowsAnyAsync<Exception>(() => Users.CreateAsync(UserJson(id, email)));

        // Before: the reservation was released on any error, so a second user could take the stored user's email.
        var other = await Users.CreateAsync(UserJson("other" + Guid.NewGuid().ToString("N")[..8], email));
        Assert.Equal(OutcomeKind.Conflict, other.Kind);
        // The next read goes to storage and finds the user; the background read-back indexes and logs it.
        Assert.Equal(id, (await User(id).GetAsync())?.Id);
        await Eventually.Poll(() => fixture.Client.GetGrain<ITableGrain>(TableNames.Users).DumpAsync(null, null), page => page.Value!.Records.Any(r => r.Id == id));
        await Eventually.Poll(() => Log.ReadAsync(0, 100_000), events => events.Any(e => e.Event.Key == id && e.Event.Method == EventMethods.CreateRecord));
    }

    [Fact]
    public async Task PutWhoseAnswerWasLostIsStoredAndARefusedOneChangesNothing()
    {
        var key = "amb-" + Guid.NewGuid().ToString("N");
        var grain = fixture.Client.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key));
        Assert.Equal(OutcomeKind.Ok, (await grain.PutAsync(key, "v1", null)).Kind);

        fixture.Storage.Arm(KeyValueGrain.StateName, KeyValueKeys.GrainKey(key), WriteFault.AnswerLost);
        var lost = await grain.PutAsync(key, "v2", null);
        Assert.Equal(KeyValueWriteStatus.Stored, lost.Value!.Status);
        Assert.Equal("v2", (await grain.GetAsync())!.Entry.Value);

        fixture.Storage.Arm(KeyValueGrain.StateName, KeyValueKeys.GrainKey(key), WriteFault.Refused);
        await Assert.ThrowsAnyAsync<Exception>(() => grain.PutAsync(key, "v3", null));
        Assert.Equal("v2", (await grain.GetAsync())!.Entry.Value);
        // And the key keeps working.
        Assert.Equal(KeyValueWriteStatus.Deleted, (await grain.DeleteAsync(key, null)).Value!.Status);
        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task PutOfUnknownFateReachesTheIndexOnceStorageAnswers()
    {
        var key = "amb-" + Guid.NewGuid().ToString("N");
        var grain = fixture.Client.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key));
        fixture.Storage.Arm(KeyValueGrain.StateName, KeyValueKeys.GrainKey(key), WriteFault.AnswerLost, failedReads: 1);

        await Assert.ThrowsAnyAsync<Exception>(() => grain.PutAsync(key, "v1", null));

        var store = fixture.Client.GetGrain<IKeyValueStoreGrain>(0);
        await Eventually.Poll(() => store.ListAsync(null, null), page => page.Value!.Entries.Any(e => e.Key == key && e.Value == "v1"));
        Assert.Equal("v1", (await grain.GetAsync())!.Entry.Value);
    }

    [Fact]
    public async Task PessoaWhoseAnswerWasLostIsCountedAndItsApelidoStaysTaken()
    {
        var pessoas = fixture.Client.GetGrain<IPessoasGrain>(0);
        var apelido = "amb" + Guid.NewGuid().ToString("N")[..20];
        var id = PessoaKeys.Of(PessoaIds.ForApelido(apelido));
        var before = await pessoas.CountAsync();
        fixture.Storage.Arm(PessoaGrain.StateName, id, WriteFault.AnswerLost, failedReads: 1);

        await Assert.ThrowsAnyAsync<Exception>(() => pessoas.CreateAsync(new NovaPessoa(apelido, "Ana", "2000-01-01", null)));

        var again = await pessoas.CreateAsync(new NovaPessoa(apelido, "Outra", "2000-01-01", null));
        Assert.Equal(OutcomeKind.Invalid, again.Kind);
        await Eventually.Poll(pessoas.CountAsync, count => count == before + 1);
    }

    [Fact]
    public async Task AnswerWhoseAnswerWasLostIsRecordedOnce()
    {
        var questionId = Random.Shared.NextInt64(1, 1L << 50);
        await fixture.Client.GetGrain<IQuestionsGrain>(0).CreateAsync(new QuestionInput(questionId, "Q?", "one", "two", "three", "four", "b", "facil", "teste"));
        var input = new AnswerInput(questionId, "b", "2025-05-01T10:00:00Z", "amb", 1);
        fixture.Storage.Arm(AnswerAttemptGrain.StateName, QuestionKeys.Answer("amb", questionId, 1), WriteFault.AnswerLost);

        var answered = await fixture.Client.GetGrain<IAnswersGrain>(0).CreateAsync(input);
        var again = await fixture.Client.GetGrain<IAnswersGrain>(0).CreateAsync(input);

        Assert.Equal(OutcomeKind.Ok, answered.Kind);
        Assert.True(answered.Value!.IsCorrect);
        Assert.Equal(OutcomeKind.Conflict, again.Kind);
    }

    /// <summary>How each entity kind is written, checked in its projection, and named in the event log (the kernel's policy is one for all).</summary>
    private sealed record EntityDriver(string StateName, string GrainKey, string Entity, string EventKey, Func<Task<bool>> WriteAsync, Func<Task<bool>> IndexedAsync);

    private async Task<EntityDriver> DriverAsync(string kind)
    {
        var n = Guid.NewGuid().ToString("N")[..12];
        switch (kind)
        {
            case "record":
            {
                var table = Http.NewTable();
                var tableGrain = fixture.Client.GetGrain<ITableGrain>(table);
                return new(RecordGrain.StateName, TableNames.RecordKey(table, "r1"), table, "r1",
                    async () => (await tableGrain.CreateAsync("""{"id":"r1"}""")).Kind == OutcomeKind.Created,
                    async () => await tableGrain.CountAsync() == 1);
            }
            case "kv":
            {
                var key = "pol-" + n;
                var grain = fixture.Client.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key));
                var store = fixture.Client.GetGrain<IKeyValueStoreGrain>(0);
                return new(KeyValueGrain.StateName, KeyValueKeys.GrainKey(key), KeyValueKeys.Scope, key,
                    async () => (await grain.PutAsync(key, "v", null)).Kind == OutcomeKind.Ok,
                    async () => (await store.ListAsync(null, null)).Value!.Entries.Any(e => e.Key == key));
            }
            case "question":
            {
                var id = Random.Shared.NextInt64(1, 1L << 50);
                var questions = fixture.Client.GetGrain<IQuestionsGrain>(0);
                return new(QuestionGrain.StateName, QuestionKeys.Question(id), QuestionKeys.Questions, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    async () => (await questions.CreateAsync(new QuestionInput(id, "Q?", "one", "two", "three", "four", "b", "facil", "teste"))).Kind == OutcomeKind.Ok,
                    async () => (await questions.ListAsync()).Any(q => q.QuestionId == id));
            }
            case "answer":
            {
                var id = Random.Shared.NextInt64(1, 1L << 50);
                await fixture.Client.GetGrain<IQuestionsGrain>(0).CreateAsync(new QuestionInput(id, "Q?", "one", "two", "three", "four", "b", "facil", "teste"));
                var user = "pol" + n;
                var answers = fixture.Client.GetGrain<IAnswersGrain>(0);
                return new(AnswerAttemptGrain.StateName, QuestionKeys.Answer(user, id, 1), QuestionKeys.Answers, $"{user}/{id}/1",
                    async () => (await answers.CreateAsync(new AnswerInput(id, "b", "2025-05-01T10:00:00Z", user, 1))).Kind == OutcomeKind.Ok,
                    async () => (await answers.ListAsync(user, null)).Count == 1);
            }
            default:
            {
                var apelido = "pol" + n;
                var id = PessoaIds.ForApelido(apelido);
                var pessoas = fixture.Client.GetGrain<IPessoasGrain>(0);
                return new(PessoaGrain.StateName, PessoaKeys.Of(id), PessoaKeys.Scope, PessoaKeys.Format(id),
                    async () => (await pessoas.CreateAsync(new NovaPessoa(apelido, "Ana", "2000-01-01", null))).Kind == OutcomeKind.Created,
                    async () => (await pessoas.SearchAsync(apelido)).Value!.Length == 1);
            }
        }
    }

    public static TheoryData<string, WriteFault, int> EveryEntityAndFault()
    {
        var data = new TheoryData<string, WriteFault, int>();
        foreach (var kind in new[] { "record", "kv", "question", "answer", "pessoa" })
        {
            data.Add(kind, WriteFault.AnswerLost, 0); // timed out, but committed
            data.Add(kind, WriteFault.Refused, 0);    // timed out, and did not commit
            data.Add(kind, WriteFault.AnswerLost, 1); // committed, and the read-back fails once: fate unknown, then known
            data.Add(kind, WriteFault.Refused, 1);    // not committed, and the read-back fails once
        }
        return data;
    }

    /// <summary>
    /// The entity kernel's one failure policy, for every writing entity: a committed write whose answer was lost is
    /// acknowledged, projected and logged once; a write that did not commit fails and leaves no trace; when even the
    /// read-back fails the call fails, and the projection follows storage once it answers.
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryEntityAndFault))]
    public async Task TheKernelDecidesEveryFailedWriteByWhatIsStored(string kind, WriteFault fault, int failedReads)
    {
        var entity = await DriverAsync(kind);
        fixture.Storage.Arm(entity.StateName, entity.GrainKey, fault, failedReads);
        bool acknowledged;
        try
        {
            acknowledged = await entity.WriteAsync();
        }
        catch (Exception)
        {
            acknowledged = false;
        }

        var committed = fault == WriteFault.AnswerLost;
        Assert.Equal(committed && failedReads == 0, acknowledged);
        if (committed) await Eventually.Poll(entity.IndexedAsync, indexed => indexed);
        else Assert.False(await entity.IndexedAsync());
        var events = (await Log.ReadAsync(0, 1_000_000)).Count(e => e.Event.Entity == entity.Entity && e.Event.Key == entity.EventKey);
        Assert.Equal(committed ? 1 : 0, events);

        // The entity keeps working: a refused write can be made again; a committed one is there.
        if (!committed) Assert.True(await entity.WriteAsync());
        Assert.True(await entity.IndexedAsync());
    }
}
