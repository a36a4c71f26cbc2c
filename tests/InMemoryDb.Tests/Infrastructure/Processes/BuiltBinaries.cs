namespace InMemoryDb.Tests.Infrastructure.Processes;

/// <summary>
/// The service's executables as built next to this test assembly's configuration (building the test project builds
/// them: it references src/Api, which references src/Silo, and the sample client). Tests run them as separate
/// processes, exactly as deployed.
/// </summary>
public static class BuiltBinaries
{
    /// <summary>The repository root (the folder holding InMemoryDb.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The build configuration of this test run (Debug or Release), read from this assembly's output path.</summary>
    public static string Configuration { get; } = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!)!;

    /// <summary>The silo host.</summary>
    public static string Silo => Find("src/Silo", "InMemoryDb.Silo.dll");

    /// <summary>The HTTP API.</summary>
    public static string Api => Find("src/Api", "InMemoryDb.Api.dll");

    /// <summary>The sample Orleans client of another .NET service.</summary>
    public static string SampleClient => Find("samples/InMemoryDb.SampleClient", "InMemoryDb.SampleClient.dll");

    /// <summary>The dotnet host that runs this test process.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string Find(string project, string assembly)
    {
        var path = Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", assembly);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution (dotnet test InMemoryDb.sln builds it) in {Configuration}.", path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "InMemoryDb.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No InMemoryDb.sln above {AppContext.BaseDirectory}.");
    }
}
