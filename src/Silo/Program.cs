using InMemoryDb.Silo.Hosting;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
try
{
    builder.UseOrleans(silo => silo.AddInMemoryDb(builder.Configuration));
}
catch (InvalidOperationException e)
{
    // A setting that is missing or wrong: say which, and stop before starting anything.
    Console.Error.WriteLine($"Refusing to start: {e.Message}");
    return 2;
}
await builder.Build().RunAsync();
return 0;
