global using InMemoryDb.Events;
global using InMemoryDb.KeyValue;
global using InMemoryDb.Tables;
global using Microsoft.Extensions.Logging;
global using Orleans;
global using Orleans.Concurrency;
global using Orleans.Runtime;
