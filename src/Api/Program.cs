using InMemoryDb.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (builder.AddInMemoryDbHttp() is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 2;
}
builder.AddInMemoryDbBackend();

var app = builder.Build();
app.UseInMemoryDbHttp();
app.Run();
return 0;

/// <summary>The API's entry point (public so tests can host it with WebApplicationFactory).</summary>
public partial class Program;
