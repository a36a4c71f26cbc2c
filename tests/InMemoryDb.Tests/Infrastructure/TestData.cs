namespace InMemoryDb.Tests.Infrastructure;

/// <summary>The contest's data files, in <c>../shared/rinha</c> beside the repository (CI lays shared/ there too).</summary>
public static class TestData
{
    /// <summary>The folder holding <c>pessoas-payloads.tsv</c> and <c>termos-busca.tsv</c>.</summary>
    public static string RinhaDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("RINHA_DATA") is { Length: > 0 } configured) return configured;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "InMemoryDb.sln")))
                {
                    var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "rinha"));
                    if (File.Exists(Path.Combine(data, "pessoas-payloads.tsv"))) return data;
                    throw new InvalidOperationException($"The contest data is not in {data}; set RINHA_DATA to its folder.");
                }
            }
            throw new InvalidOperationException("The repository root (InMemoryDb.sln) was not found above " + AppContext.BaseDirectory);
        }
    }
}
