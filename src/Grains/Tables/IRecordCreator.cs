namespace InMemoryDb.Grains.Tables;

/// <summary>Creation of a record under an id its caller has just generated (a new UUID): nothing can be stored under it, so the grain skips reading its state.</summary>
public interface IRecordCreator : IGrainWithStringKey
{
    /// <summary>Like <see cref="IRecordGrain.CreateAsync"/> for a freshly generated id.</summary>
    Task<Outcome<RecordSnapshot>> CreateNewAsync(string dataJson);
}
