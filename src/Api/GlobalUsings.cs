global using InMemoryDb;
global using InMemoryDb.Tables;
global using Orleans;
