using System.Text.Json;
using InMemoryDb.Api.Apis;
using InMemoryDb.Api.Hosting;
using InMemoryDb.Api.Http;

var builder = WebApplication.CreateBuilder(args);

builder.AddInMemoryDbBackend();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes);
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
{
    if (context.HttpContext.Items[CorrelationId.Header] is string correlation)
    {
        context.ProblemDetails.Extensions["correlation_id"] = correlation;
    }
});
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
});
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCorrelationId();
app.MapOpenApi();
app.UseSwaggerUI(ui =>
{
    ui.RoutePrefix = "docs";
    ui.SwaggerEndpoint("/openapi/v1.json", "InMemoryDb");
    ui.DocumentTitle = "InMemoryDb API";
});

app.MapTablesApi();
app.MapPessoasApi();
app.MapEventsApi();
app.MapKeyValueApi();
app.MapHealthApi();
app.MapQuestionsApi();

app.Run();

/// <summary>The API's entry point (public so tests can host it with WebApplicationFactory).</summary>
public partial class Program;
