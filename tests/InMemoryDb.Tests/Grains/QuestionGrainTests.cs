using System.Text.Json.Nodes;
using InMemoryDb.Events;
using InMemoryDb.Questions;

namespace InMemoryDb.Tests.Grains;

[Collection(QuestionsClusterCollection.Name)]
public sealed class QuestionGrainTests(ClusterFixture fixture)
{
    private IQuestionsGrain Questions => fixture.Client.GetGrain<IQuestionsGrain>(0);

    private IAnswersGrain Answers => fixture.Client.GetGrain<IAnswersGrain>(0);

    private static long NewId() => Random.Shared.NextInt64(1, 1L << 50);

    private static QuestionInput Question(long id, string correta = "b")
        => new(id, $"Question {id}?", "one", "two", "three", "four", correta, "facil", "teste");

    private static AnswerInput Answer(long questionId, string usuario, long attempt, string chosen = "b")
        => new(questionId, chosen, "2025-05-01T10:00:00Z", usuario, attempt);

    private async Task<LoggedEvent[]> EventsAsync(string method, Func<LoggedEvent, bool> match, int atLeast = 1)
        => (await Eventually.Poll(
            async () => (await fixture.Client.GetGrain<IEventLogGrain>(0).ReadAsync(0, 10_000)).Where(e => e.Event.Method == method && match(e)).ToArray(),
            events => events.Length >= atLeast)).ToArray();

    [Fact]
    public async Task ConcurrentCreatesOfOneQuestionHaveOneWinnerAndOneEvent()
    {
        for (var round = 0; round < 10; round++)
        {
            var id = NewId();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Questions.CreateAsync(Question(id) with { Assunto = $"try {i}" })));
            Assert.Single(outcomes, o => o.Succeeded);
            Assert.Equal(3, outcomes.Count(o => o.Kind == OutcomeKind.Conflict && o.Detail == "Question already exists"));
            var stored = await fixture.Client.GetGrain<IQuestionGrain>(QuestionKeys.Question(id)).GetAsync();
            Assert.Equal(outcomes.Single(o => o.Succeeded).Value!.Assunto, stored!.Assunto);
            var events = await EventsAsync(EventMethods.CreateQuestion, e => e.Event.Key == id.ToString());
            Assert.Single(events);
        }
    }

    [Fact]
    public async Task ConcurrentAttemptsWithOneKeyHaveOneWinnerAndOneEvent()
    {
        var id = NewId();
        await Questions.CreateAsync(Question(id));
        for (var round = 1; round <= 10; round++)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Answers.CreateAsync(Answer(id, "race", round, i % 2 == 0 ? "b" : "a"))));
            Assert.Single(outcomes, o => o.Succeeded);
            Assert.Equal(3, outcomes.Count(o => o.Kind == OutcomeKind.Conflict && o.Detail == "Answer already exists"));
            var events = await EventsAsync(EventMethods.CreateAnswer, e => e.Event.Key == $"race/{id}/{round}");
            Assert.Single(events);
            Assert.Equal(outcomes.Single(o => o.Succeeded).Value!.IsCorrect, (bool)JsonNode.Parse(events[0].Event.ContentJson)!["is_correct"]!);
        }
    }

    [Fact]
    public async Task AttemptOnAnUnknownQuestionIsNotFoundAndLeavesNothing()
    {
        var id = NewId();
        var outcome = await Answers.CreateAsync(Answer(id, "nobody", 1));
        Assert.Equal(OutcomeKind.NotFound, outcome.Kind);
        Assert.Equal("Question not found", outcome.Detail);
        Assert.Null(await fixture.Client.GetGrain<IAnswerAttemptGrain>(QuestionKeys.Answer("nobody", id, 1)).GetAsync());
        Assert.Empty(await Answers.ListAsync(null, id));
    }

    [Fact]
    public async Task InvalidInputIsRejectedByTheGrainsWhoeverCalls()
    {
        var id = NewId();
        var direct = await fixture.Client.GetGrain<IQuestionGrain>(QuestionKeys.Question(id)).CreateAsync(Question(id, correta: "z") with { Dificuldade = "" });
        Assert.Equal(OutcomeKind.Invalid, direct.Kind);
        Assert.Equal(["alternativa_correta", "dificuldade"], direct.Errors!.Keys.Order());
        var wrongGrain = await fixture.Client.GetGrain<IQuestionGrain>(QuestionKeys.Question(id)).CreateAsync(Question(id + 1));
        Assert.Equal(OutcomeKind.BadRequest, wrongGrain.Kind);
        Assert.Null(await fixture.Client.GetGrain<IQuestionGrain>(QuestionKeys.Question(id)).GetAsync());
    }

    [Fact]
    public async Task ScoreIsExactAcrossPartitions()
    {
        var usuario = "score-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 12).Select(_ => NewId()).ToArray();
        foreach (var id in ids) Assert.True((await Questions.CreateAsync(Question(id, correta: "c"))).Succeeded);

        // Question i gets i % 4 + 1 attempts; an attempt is right when its number is even.
        long attempts = 0, correct = 0;
        var right = new HashSet<long>();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            for (var n = 1; n <= i % 4 + 1; n++)
            {
                var outcome = await Answers.CreateAsync(Answer(id, usuario, n, n % 2 == 0 ? "C" : "one"));
                Assert.Equal(n % 2 == 0, outcome.Value!.IsCorrect);
                attempts++;
                if (n % 2 != 0) continue;
                correct++;
                right.Add(id);
            }
        }
        await Answers.CreateAsync(Answer(ids[0], usuario + "-other", 1, "c"));

        var score = await Answers.ScoreAsync(usuario);
        Assert.Equal(new UserScore(usuario, attempts, correct, right.Count), score);
        Assert.Equal((double)correct / attempts, score.Accuracy);
        Assert.Equal(attempts, (await Answers.ListAsync(usuario, null)).Count);
        Assert.Equal(new UserScore("nobody-" + usuario, 0, 0, 0), await Answers.ScoreAsync("nobody-" + usuario));
    }

    [Fact]
    public async Task DeletingAQuestionKeepsItsAttemptsWithTheirStoredCorrectness()
    {
        var id = NewId();
        await Questions.CreateAsync(Question(id, correta: "a"));
        await Answers.CreateAsync(Answer(id, "keeper", 1, "a"));
        await Answers.CreateAsync(Answer(id, "keeper", 2, "d"));
        Assert.True((await fixture.Client.GetGrain<IQuestionGrain>(QuestionKeys.Question(id)).DeleteAsync()).Succeeded);
        Assert.Equal(OutcomeKind.NotFound, (await fixture.Client.GetGrain<IQuestionGrain>(QuestionKeys.Question(id)).DeleteAsync()).Kind);

        var kept = await Answers.ListAsync("keeper", id);
        Assert.Equal([true, false], kept.Select(a => a.IsCorrect));
        Assert.Equal(OutcomeKind.NotFound, (await Answers.CreateAsync(Answer(id, "keeper", 3, "a"))).Kind);
        Assert.Single(await EventsAsync(EventMethods.DeleteQuestion, e => e.Event.Key == id.ToString()));

        // The id can be used again; the old attempts keep their verdicts.
        Assert.True((await Questions.CreateAsync(Question(id, correta: "d"))).Succeeded);
        Assert.Equal([true, false], (await Answers.ListAsync("keeper", id)).Select(a => a.IsCorrect));
    }

    [Fact]
    public async Task BulkDeleteRemovesEveryQuestionAndLogsOneEventListingThem()
    {
        await Questions.DeleteAllAsync();
        var ids = Enumerable.Range(0, 40).Select(_ => NewId()).Order().ToArray();
        await Task.WhenAll(ids.Select(id => Questions.CreateAsync(Question(id))));
        Assert.Equal(40, await Questions.CountAsync());
        Assert.Equal(ids, (await Questions.ListAsync()).Select(q => q.QuestionId));

        Assert.Equal(40, await Questions.DeleteAllAsync());
        Assert.Equal(0, await Questions.CountAsync());
        Assert.Empty(await Questions.ListAsync());
        Assert.Null(await fixture.Client.GetGrain<IQuestionGrain>(QuestionKeys.Question(ids[0])).GetAsync());
        var logged = await EventsAsync(EventMethods.DeleteQuestions, e => JsonNode.Parse(e.Event.ContentJson)!["questions"]!.AsArray()
            .Any(q => (long)q!["question_id"]! == ids[0]));
        var content = JsonNode.Parse(Assert.Single(logged).Event.ContentJson)!;
        Assert.Equal(40, (int)content["count"]!);
        Assert.Equal(ids, content["questions"]!.AsArray().Select(q => (long)q!["question_id"]!));
        Assert.Empty(await EventsAsync(EventMethods.DeleteQuestion, e => ids.Contains(long.Parse(e.Event.Key)), atLeast: 0));

        Assert.Equal(0, await Questions.DeleteAllAsync());
        Assert.True((await Questions.CreateAsync(Question(ids[0]))).Succeeded);
        Assert.Equal(1, await Questions.CountAsync());
    }

    [Fact]
    public async Task BulkDeleteOfAttemptsRacingCreatesListsExactlyWhatItDeleted()
    {
        await Answers.DeleteAllAsync();
        var id = NewId();
        await Questions.CreateAsync(Question(id));
        var before = Enumerable.Range(1, 100).Select(n => Answer(id, "bulk", n)).ToArray();
        await Task.WhenAll(before.Select(a => Answers.CreateAsync(a)));

        var during = Enumerable.Range(101, 60).Select(n => Answer(id, "bulk", n)).ToArray();
        var delete = Answers.DeleteAllAsync();
        var creates = Task.WhenAll(during.Select(a => Answers.CreateAsync(a)));
        var deleted = await delete;
        Assert.All(await creates, o => Assert.True(o.Succeeded));

        var remaining = (await Answers.ListAsync("bulk", id)).Select(a => a.NroTentativa).ToHashSet();
        var logged = await EventsAsync(EventMethods.DeleteAnswers, e => (int)JsonNode.Parse(e.Event.ContentJson)!["count"]! == deleted
            && JsonNode.Parse(e.Event.ContentJson)!["answers"]!.AsArray().Any(a => (string)a!["usuario"]! == "bulk"));
        var listed = JsonNode.Parse(Assert.Single(logged).Event.ContentJson)!["answers"]!.AsArray().Select(a => (long)a!["nro_tentativa"]!).ToHashSet();

        Assert.Equal(deleted, listed.Count);
        Assert.True(deleted >= 100, $"every attempt acknowledged before the delete started is deleted (deleted {deleted})");
        Assert.Empty(listed.Intersect(remaining));
        Assert.Equal(Enumerable.Range(1, 160).Select(n => (long)n).ToHashSet(), listed.Union(remaining).ToHashSet());
        Assert.Equal(remaining.Count, await Answers.CountAsync());
    }

    [Fact]
    public async Task SingleDeletesRacingABulkDeleteDeleteEachQuestionOnce()
    {
        await Questions.DeleteAllAsync();
        var ids = Enumerable.Range(0, 60).Select(_ => NewId()).ToArray();
        await Task.WhenAll(ids.Select(id => Questions.CreateAsync(Question(id))));

        var bulk = Questions.DeleteAllAsync();
        var singles = await Task.WhenAll(ids.Where((_, i) => i % 2 == 0).Select(id => fixture.Client.GetGrain<IQuestionGrain>(QuestionKeys.Question(id)).DeleteAsync()));
        var bulkCount = await bulk;

        Assert.Equal(0, await Questions.CountAsync());
        Assert.Equal(ids.Length, bulkCount + singles.Count(o => o.Succeeded));
        var single = await EventsAsync(EventMethods.DeleteQuestion, e => ids.Contains(long.Parse(e.Event.Key)), atLeast: singles.Count(o => o.Succeeded));
        var logged = await EventsAsync(EventMethods.DeleteQuestions, e => (int)JsonNode.Parse(e.Event.ContentJson)!["count"]! == bulkCount
            && (bulkCount == 0 || JsonNode.Parse(e.Event.ContentJson)!["questions"]!.AsArray().Any(q => ids.Contains((long)q!["question_id"]!))));
        var inBulk = JsonNode.Parse(logged[^1].Event.ContentJson)!["questions"]!.AsArray().Select(q => (long)q!["question_id"]!);
        Assert.Equal(ids.Order(), single.Select(e => long.Parse(e.Event.Key)).Concat(inBulk).Order());
    }
}
