using System.Globalization;
using InMemoryDb.Api.Http;
using InMemoryDb.Pessoas;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Apis;

/// <summary>Seed 001, the Rinha de Backend 2023 Q3 API: <c>/pessoas</c> and <c>/contagem-pessoas</c>.</summary>
public static class PessoasApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapPessoasApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Pessoas");

        api.MapPost("/pessoas", CreateAsync)
            .WithSummary("Create a person")
            .WithDescription("apelido (1–32 characters, unique), nome (1–100), nascimento (AAAA-MM-DD, a real date), stack (null or strings of 1–32). " +
                "201 with Location /pessoas/{id}; 422 when a value breaks a rule or the apelido is taken; 400 for malformed JSON or a wrong JSON type.")
            .Accepts<NovaPessoa>("application/json")
            .Produces<Pessoa>(StatusCodes.Status201Created)
            .ProducesProblem(400).ProducesProblem(413).ProducesValidationProblem(422);
        api.MapGet("/pessoas/{id}", GetAsync)
            .WithSummary("Read a person")
            .Produces<Pessoa>().ProducesProblem(404);
        api.MapGet("/pessoas", SearchAsync)
            .WithSummary("Search people")
            .WithDescription("At most 50 people whose apelido, nome or a stack element contains t, case-insensitively; 400 when t is missing or empty.")
            .Produces<Pessoa[]>().ProducesProblem(400);
        api.MapGet("/contagem-pessoas", CountAsync)
            .WithSummary("The exact number of people (plain text)")
            .Produces<string>(contentType: "text/plain");
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
    {
        var (pessoa, problem) = await PessoaBody.ReadAsync(request);
        if (pessoa is null) return problem!;
        var outcome = await grains.GetGrain<IPessoasGrain>(0).CreateAsync(pessoa);
        if (!outcome.Succeeded) return Problems.From(outcome);
        var created = outcome.Value!;
        return PessoaResults.Single(created, "/pessoas/" + created.Id);
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains)
    {
        if (!PessoaKeys.TryParseId(id, out var guid)) return NotFound(id);
        var pessoa = await grains.GetGrain<IPessoaGrain>(PessoaKeys.Of(guid)).GetAsync();
        return pessoa is null ? NotFound(id) : PessoaResults.Single(pessoa);
    }

    private static async Task<IResult> SearchAsync([FromQuery] string? t, IGrainFactory grains)
    {
        var outcome = await grains.GetGrain<IPessoasGrain>(0).SearchAsync(t);
        return outcome.Succeeded ? PessoaResults.Array(outcome.Value!) : Problems.From(outcome);
    }

    private static async Task<IResult> CountAsync(IGrainFactory grains)
    {
        var count = await grains.GetGrain<IPessoasGrain>(0).CountAsync();
        return TypedResults.Text(count.ToString(CultureInfo.InvariantCulture), "text/plain; charset=utf-8");
    }

    private static IResult NotFound(string id) => Problems.Of(StatusCodes.Status404NotFound, $"No person has id '{id}'.");
}
