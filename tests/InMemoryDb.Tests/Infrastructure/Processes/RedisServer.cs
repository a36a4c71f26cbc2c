using System.Globalization;
using System.Net.Sockets;

namespace InMemoryDb.Tests.Infrastructure.Processes;

/// <summary>A private Redis server on a free loopback port (no persistence), for tests that stop Redis itself.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private RedisServer(ServiceProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts redis-server (installed by scripts/test.sh) and waits until it accepts connections.</summary>
    public static async Task<RedisServer> StartAsync(string name = "redis")
    {
        var port = TestPorts.Next();
        var process = ServiceProcess.Start(name, "redis-server",
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            Path.GetTempPath(), new Dictionary<string, string?>());
        var server = new RedisServer(process, port);
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
