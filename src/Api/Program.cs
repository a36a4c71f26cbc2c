using InMemoryDb.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
try
{
    if (builder.AddInMemoryDbHttp() is { } refusal)
    {
        Console.Error.WriteLine(refusal);
        return 2;
    }
    builder.AddInMemoryDbBackend();
}
catch (InvalidOperationException e)
{
    // A setting that is missing or wrong (a key, a certificate, a limit): say which, and stop before starting anything.
    Console.Error.WriteLine($"Refusing to start: {e.Message}");
    return 2;
}

var app = builder.Build();
app.UseInMemoryDbHttp();
app.Run();
return 0;

/// <summary>The API's entry point (public so tests can host it with WebApplicationFactory).</summary>
public partial class Program;
