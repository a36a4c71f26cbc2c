namespace InMemoryDb.Grains.Tables;

/// <summary>
/// Creation of a record that inserts first and reads only if the insert is refused: no read for an id nothing is
/// stored under (a freshly generated UUID, or a caller's new id); an existing id costs a refused insert, then the read.
/// </summary>
public interface IRecordCreator : IGrainWithStringKey
{
    /// <summary>Like <see cref="IRecordGrain.CreateAsync"/>, insert first.</summary>
    Task<Outcome<RecordSnapshot>> CreateNewAsync(string dataJson);
}
