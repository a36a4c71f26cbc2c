using InMemoryDb.Grains.Persistence;
using Npgsql;

namespace InMemoryDb.Tests.Unit;

/// <summary>The connection pool's defaults, what a connection string overrides, and the error for a bad one (no server needed).</summary>
public sealed class PostgresDataSourceTests
{
    private static NpgsqlConnectionStringBuilder SettingsOf(string connectionString)
    {
        using var source = PostgresDataSource.Create(connectionString);
        return new NpgsqlConnectionStringBuilder(source.ConnectionString);
    }

    [Fact]
    public void DefaultsAreAFewPreparedUnresetConnections()
    {
        var settings = SettingsOf("Host=127.0.0.1;Database=x");
        Assert.Equal(PostgresDataSource.DefaultMaxPoolSize, settings.MaxPoolSize);
        Assert.Equal(8, settings.MaxPoolSize);
        Assert.Equal(64, settings.MaxAutoPrepare);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal("inmemorydb", settings.ApplicationName);
        Assert.False(settings.Multiplexing);
    }

    [Fact]
    public void MultiplexingIsAnOptIn()
        => Assert.True(SettingsOf("Host=127.0.0.1;Database=x;Multiplexing=true").Multiplexing);

    [Theory]
    [InlineData("Host=127.0.0.1;Database=x;Maximum Pool Size=40")]
    [InlineData("Host=127.0.0.1;Database=x;MaxPoolSize=40")]
    public void APoolSizeGivenWins(string connectionString)
        => Assert.Equal(40, SettingsOf(connectionString).MaxPoolSize);

    [Fact]
    public void OtherGivenSettingsWin()
    {
        var settings = SettingsOf("Host=127.0.0.1;Database=x;Max Auto Prepare=0;No Reset On Close=false;Application Name=reports");
        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);
        Assert.Equal("reports", settings.ApplicationName);
    }

    [Fact]
    public void AnUnknownKeywordNamesTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresDataSource.Create("Host=127.0.0.1;Database=x;Bogus Setting=1"));
        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
        Assert.Contains("bogus setting", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
