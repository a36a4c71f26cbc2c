using System.Globalization;
using System.Net.Sockets;

namespace InMemoryDb.Tests.Infrastructure.Processes;

/// <summary>A private Redis server on a free loopback port (no persistence), for tests that stop Redis itself.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private RedisServer(ServiceProcess process, int port, string? password)
    {
        _process = process;
        Port = port;
        Password = password;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The password clients must give (Redis <c>requirepass</c>); null: none.</summary>
    public string? Password { get; }

    /// <summary>The connection string (StackExchange.Redis syntax, with <c>password=</c> when there is one).</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}" + (Password is null ? "" : $",password={Password}");

    /// <summary>
    /// Starts redis-server (installed by scripts/test.sh) and waits until it accepts connections; with a
    /// <paramref name="password"/>, clients must authenticate (as docker-compose.yml runs Redis).
    /// </summary>
    public static async Task<RedisServer> StartAsync(string name = "redis", string? password = null)
    {
        var port = TestPorts.Next();
        string[] arguments = ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
        var process = ServiceProcess.Start(name, "redis-server",
            password is null ? arguments : [.. arguments, "--requirepass", password],
            Path.GetTempPath(), new Dictionary<string, string?>());
        var server = new RedisServer(process, port, password);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops it (SIGTERM).</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
