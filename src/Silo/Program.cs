using InMemoryDb.Silo.Hosting;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddInMemoryDb(builder.Configuration));
await builder.Build().RunAsync();
