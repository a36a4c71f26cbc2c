using InMemoryDb.Api.Http;
using InMemoryDb.Api.Models.Questions;
using InMemoryDb.Api.Security;
using InMemoryDb.Grains.Questions;
using InMemoryDb.Questions;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Apis;

/// <summary>
/// Seed 000's questions and answer attempts, on its routes and with its bodies and status codes
/// (<c>{"detail": ...}</c> errors, FastAPI-style 422s), so its clients keep working.
/// </summary>
public static class QuestionsApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapQuestionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Ok(new Dictionary<string, string> { ["Hello"] = "InMemoryDb is up (GET /health checks readiness)" }))
            .WithTags("Health").WithSummary("Liveness: a one-line message (seed 000)").AllowAnonymous().DisableRateLimiting();

        var questions = app.MapGroup("").WithTags("Questions");
        questions.MapPost("/question", CreateQuestionAsync)
            .WithSummary("Create a question")
            .WithDescription("Every field is required and non-blank. alternativa_correta is a letter a–d (any case; stored lower-case) " +
                             "or the exact text of one alternative. An existing question_id gives 400 {\"detail\": \"Question already exists\"}.")
            .Accepts<QuestionRequest>("application/json")
            .Produces<MessageResponse>().Produces<DetailResponse>(400).Produces<DetailResponse>(413).Produces<ValidationErrorResponse>(422);
        questions.MapGet("/questions", ListQuestionsAsync)
            .WithSummary("Every question, ordered by question_id")
            .WithDescription("Optional paging: limit (1–100000) and after (a question_id); the Link header (rel=next) names the next page. " +
                             "400 when the whole answer would pass the response limit.")
            .Produces<QuestionResponse[]>().Produces<DetailResponse>(400).Produces<ValidationErrorResponse>(422);
        questions.MapGet("/question/{question_id}", GetQuestionAsync)
            .WithSummary("One question").Produces<QuestionResponse>().Produces<DetailResponse>(404).Produces<ValidationErrorResponse>(422);
        questions.MapDelete("/question/{question_id}", DeleteQuestionAsync)
            .WithSummary("Delete a question (its answers stay readable, with their stored is_correct)")
            .Produces<MessageResponse>().Produces<DetailResponse>(404).Produces<ValidationErrorResponse>(422);
        questions.MapDelete("/questions", DeleteQuestionsAsync)
            .WithSummary("Delete every question: {\"message\": \"N questions deleted\"}")
            .WithDescription("Deletes every question that exists when the request starts (questions created meanwhile may survive); answers stay. " +
                             "Logs one delete_questions event listing them. Needs the admin scope.")
            .RequireScope(ApiScopes.Admin)
            .Produces<MessageResponse>();

        var answers = app.MapGroup("").WithTags("Answers");
        answers.MapPost("/answer", CreateAnswerAsync)
            .WithSummary("Record an answer attempt")
            .WithDescription("One attempt per (usuario, question_id, nro_tentativa): the same again gives 400 {\"detail\": \"Answer already exists\"}; " +
                             "an unknown question gives 404. is_correct is decided now and stored with the attempt.")
            .Accepts<AnswerRequest>("application/json")
            .Produces<AnswerCreatedResponse>().Produces<DetailResponse>(400).Produces<DetailResponse>(404).Produces<ValidationErrorResponse>(422);
        answers.MapGet("/answers", ListAnswersAsync)
            .WithSummary("Every attempt with is_correct, ordered by usuario, question_id, nro_tentativa")
            .WithDescription("Optional filters: usuario (exact) and question_id. Optional paging: limit (1–100000) and after (the cursor the Link header, rel=next, names). " +
                             "400 when the whole answer would pass the response limit.")
            .Produces<AnswerResponse[]>().Produces<ValidationErrorResponse>(422);
        answers.MapDelete("/answers", DeleteAnswersAsync)
            .WithSummary("Delete every attempt: {\"message\": \"N answers deleted\"}")
            .WithDescription("Needs the admin scope.")
            .RequireScope(ApiScopes.Admin)
            .Produces<MessageResponse>();
        answers.MapGet("/users/{usuario}/score", ScoreAsync)
            .WithSummary("A user's score: attempts, correct answers, questions answered correctly at least once, accuracy")
            .Produces<ScoreResponse>().Produces<ValidationErrorResponse>(422);
        return app;
    }

    private static async Task<IResult> CreateQuestionAsync(HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await SeedBody.ReadQuestionAsync(request);
        if (input is null) return problem!;
        var outcome = await grains.GetGrain<IQuestionsGrain>(0).CreateAsync(input);
        return outcome.Succeeded ? TypedResults.Ok(new MessageResponse("Question created")) : SeedResults.From(outcome);
    }

    private static async Task<IResult> ListQuestionsAsync([FromQuery] string? limit, [FromQuery] string? after, HttpRequest request, IGrainFactory grains)
    {
        if (PageLimit(limit, QuestionsGrain.MaxPageSize, out var size) is { } problem) return problem;
        long? from = null;
        if (after is not null)
        {
            if (SeedBody.Integer(after, "query", "after", out var afterProblem) is not { } parsed) return afterProblem!;
            from = parsed;
        }
        var outcome = await grains.GetGrain<IQuestionsGrain>(0).ListAsync(from, size);
        if (!outcome.Succeeded) return SeedResults.From(outcome);
        var page = outcome.Value!;
        Paging.SetNext(request.HttpContext.Response, page.NextAfter is { } next && size is { } asked
            ? Paging.Next(request, asked, next.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null);
        return TypedResults.Ok(page.Questions.Select(QuestionResponse.From).ToArray());
    }

    /// <summary>Reads an optional limit the seed's way (422 with its location when it is not an integer in range).</summary>
    private static IResult? PageLimit(string? text, int max, out int? limit)
    {
        limit = null;
        if (text is null) return null;
        if (SeedBody.Integer(text, "query", "limit", out var problem) is not { } parsed) return problem;
        if (parsed is < 1 || parsed > max) return SeedResults.Validation("query", "limit", $"ensure this value is between 1 and {max}", "value_error.number.not_in_range");
        limit = (int)parsed;
        return null;
    }

    private static async Task<IResult> GetQuestionAsync([FromRoute(Name = "question_id")] string questionId, IGrainFactory grains)
    {
        if (SeedBody.Integer(questionId, "path", "question_id", out var problem) is not { } id) return problem!;
        var question = id < 1 ? null : await grains.GetGrain<IQuestionGrain>(QuestionKeys.Question(id)).GetAsync();
        return question is null ? QuestionNotFound() : TypedResults.Ok(QuestionResponse.From(question));
    }

    private static async Task<IResult> DeleteQuestionAsync([FromRoute(Name = "question_id")] string questionId, IGrainFactory grains)
    {
        if (SeedBody.Integer(questionId, "path", "question_id", out var problem) is not { } id) return problem!;
        if (id < 1) return QuestionNotFound();
        var outcome = await grains.GetGrain<IQuestionGrain>(QuestionKeys.Question(id)).DeleteAsync();
        return outcome.Succeeded ? TypedResults.Ok(new MessageResponse("Question deleted")) : SeedResults.From(outcome);
    }

    private static async Task<IResult> DeleteQuestionsAsync(IGrainFactory grains)
    {
        var count = await grains.GetGrain<IQuestionsGrain>(0).DeleteAllAsync();
        return TypedResults.Ok(new MessageResponse($"{count} questions deleted"));
    }

    private static async Task<IResult> CreateAnswerAsync(HttpRequest request, IGrainFactory grains)
    {
        var (input, problem) = await SeedBody.ReadAnswerAsync(request);
        if (input is null) return problem!;
        var outcome = await grains.GetGrain<IAnswersGrain>(0).CreateAsync(input);
        return outcome.Succeeded ? TypedResults.Ok(new AnswerCreatedResponse("Answer created", outcome.Value!.IsCorrect)) : SeedResults.From(outcome);
    }

    private static async Task<IResult> ListAnswersAsync([FromQuery] string? usuario, [FromQuery(Name = "question_id")] string? questionId,
        [FromQuery] string? limit, [FromQuery] string? after, HttpRequest request, IGrainFactory grains)
    {
        long? id = null;
        if (questionId is not null)
        {
            if (SeedBody.Integer(questionId, "query", "question_id", out var problem) is not { } parsed) return problem!;
            id = parsed;
        }
        if (PageLimit(limit, AnswersGrain.MaxPageSize, out var size) is { } limitProblem) return limitProblem;
        var outcome = await grains.GetGrain<IAnswersGrain>(0).ListAsync(usuario, id, after, size);
        if (!outcome.Succeeded) return SeedResults.From(outcome);
        var page = outcome.Value!;
        if (page.NextAfter is { } next && size is { } asked)
        {
            // The next page keeps the filters.
            var filters = (usuario is null ? "" : "&usuario=" + Uri.EscapeDataString(usuario)) + (questionId is null ? "" : "&question_id=" + Uri.EscapeDataString(questionId));
            Paging.SetNext(request.HttpContext.Response, Paging.Next(request, asked, next) + filters);
        }
        return TypedResults.Ok(page.Answers.Select(AnswerResponse.From).ToArray());
    }

    private static async Task<IResult> DeleteAnswersAsync(IGrainFactory grains)
    {
        var count = await grains.GetGrain<IAnswersGrain>(0).DeleteAllAsync();
        return TypedResults.Ok(new MessageResponse($"{count} answers deleted"));
    }

    private static async Task<IResult> ScoreAsync(string usuario, IGrainFactory grains)
    {
        if (QuestionKeys.CheckUsuario(usuario) is { } message) return SeedResults.Validation("path", "usuario", message, "value_error");
        var score = await grains.GetGrain<IAnswersGrain>(0).ScoreAsync(usuario);
        return TypedResults.Ok(ScoreResponse.From(score));
    }

    private static IResult QuestionNotFound() => SeedResults.Detail(StatusCodes.Status404NotFound, "Question not found");
}
