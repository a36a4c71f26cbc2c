global using InMemoryDb.Tests.Infrastructure;
