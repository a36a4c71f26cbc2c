namespace InMemoryDb.Pessoas;

/// <summary>The events people emit on the event log (entity <see cref="PessoaKeys.Scope"/>, key = the person's id).</summary>
public static class PessoaEvents
{
    /// <summary>A person was created; content is the person's JSON.</summary>
    public const string Created = "create_pessoa";
}
