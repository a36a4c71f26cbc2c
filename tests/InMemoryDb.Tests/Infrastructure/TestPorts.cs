using System.Net;
using System.Net.Sockets;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>Free loopback ports, so several silos can run side by side in one test run.</summary>
public static class TestPorts
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A TCP port that is free now and was not handed out before in this process.</summary>
    public static int Next()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Handed.Add(port)) return port;
            }
        }
    }
}
