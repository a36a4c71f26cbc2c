using InMemoryDb.Grains.KeyValue;
using InMemoryDb.Grains.Pessoas;
using InMemoryDb.Grains.Questions;
using InMemoryDb.Grains.Streaming;
using InMemoryDb.Grains.Tables;
using InMemoryDb.Pessoas;
using InMemoryDb.Questions;

namespace InMemoryDb.Grains;

/// <summary>
/// A kind of entity whose grains project into index partitions: how to load its partitions (at start-up, so the first
/// request does not wait) and how to reconcile them with storage after a silo died (a grain there may have committed
/// and died before it applied its change to the partition).
/// </summary>
/// <param name="Name">What the kind holds, for logs.</param>
/// <param name="WarmUpAsync">Loads every partition of the kind; returns how many entities they hold.</param>
/// <param name="ReconcileAsync">Has every partition of the kind reconcile with storage after the named silo died.</param>
public sealed record EntityKind(string Name, Func<IGrainFactory, Task<long>> WarmUpAsync, Func<IGrainFactory, string, Task> ReconcileAsync);

/// <summary>The registry of entity kinds that start-up warm-up and dead-silo recovery iterate. A new feature adds its kind here.</summary>
public static class EntityKinds
{
    /// <summary>Every kind, in warm-up order.</summary>
    public static IReadOnlyList<EntityKind> All { get; } =
    [
        new("tables", async grains => (await grains.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).ListAsync()).Sum(t => t.Count),
            async (grains, dead) =>
            {
                var tables = await grains.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).ListAsync();
                await Task.WhenAll(tables.SelectMany(t => Enumerable.Range(0, Partitioning.Count)
                    .Select(p => grains.GetGrain<ITablePartitionGrain>($"{t.Name}/{p}").ReconcileAsync(dead))));
            }),
        new("keys of the key-value store", async grains => await grains.GetGrain<IKeyValueStoreGrain>(0).CountAsync(),
            (grains, dead) => Task.WhenAll(Enumerable.Range(0, Partitioning.Count).Select(p => grains.GetGrain<IKeyValueIndexGrain>(p).ReconcileAsync(dead)))),
        new("questions and answer attempts", async grains =>
            {
                // An interrupted bulk delete is finished first, so its event is logged and partitions load without it.
                await Task.WhenAll(
                    grains.GetGrain<IBulkDeleteGrain>(QuestionKeys.Questions).ResumeAsync(),
                    grains.GetGrain<IBulkDeleteGrain>(QuestionKeys.Answers).ResumeAsync());
                // One collection after the other: each loads its partitions in parallel (one connection each).
                return await grains.GetGrain<IQuestionsGrain>(0).CountAsync() + await grains.GetGrain<IAnswersGrain>(0).CountAsync();
            },
            (grains, dead) => Task.WhenAll(
                IndexPartitions.All(QuestionKeys.Questions).Select(p => grains.GetGrain<IQuestionPartitionGrain>(p).ReconcileAsync(dead))
                    .Concat(IndexPartitions.All(QuestionKeys.Answers).Select(p => grains.GetGrain<IAnswerPartitionGrain>(p).ReconcileAsync(dead))))),
        new("people", async grains => await grains.GetGrain<IPessoasGrain>(0).CountAsync(),
            (grains, dead) => Task.WhenAll(Enumerable.Range(0, Partitioning.Count).Select(p => grains.GetGrain<IPessoaIndexGrain>(p).ReconcileAsync(dead)))),
        new("streaming platform users and catalogue items", async grains =>
            {
                var users = await Task.WhenAll(Enumerable.Range(0, Partitioning.Count).Select(p => grains.GetGrain<IUsuarioPartitionGrain>(p).CountAsync()));
                var items = await Task.WhenAll(Enumerable.Range(0, Partitioning.Count).Select(p => grains.GetGrain<IConteudoPartitionGrain>(p).StatsAsync()));
                return users.Sum(c => (long)c) + items.Sum(s => s.Itens);
            },
            (grains, dead) => Task.WhenAll(Enumerable.Range(0, Partitioning.Count).SelectMany(p => new[]
            {
                grains.GetGrain<IUsuarioPartitionGrain>(p).ReconcileAsync(dead),
                grains.GetGrain<IConteudoPartitionGrain>(p).ReconcileAsync(dead),
            }))),
    ];
}
