using System.Net;
using System.Net.Sockets;
using System.Text;
using InMemoryDb.Bench.Rinha;

namespace InMemoryDb.Tests.Unit;

/// <summary>The load generator's per-user HTTP/1.1 connection reads chunked and sized bodies and keeps the connection.</summary>
public sealed class UserConnectionTests
{
    [Fact]
    public async Task ReadsChunkedAndSizedResponsesOnOneConnection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var requests = new List<string>();
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var pending = "";
            string[] answers =
            [
                "HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/problem+json\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n3\r\n{}!\r\n0\r\nTrailer: 1\r\n\r\n",
                "HTTP/1.1 201 Created\r\nlocation: /pessoas/abc\r\nContent-Length: 4\r\n\r\nbody",
                "HTTP/1.1 304 Not Modified\r\n\r\n",
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n[]",
            ];
            foreach (var answer in answers)
            {
                while (!pending.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer);
                    pending += Encoding.ASCII.GetString(buffer, 0, read);
                }
                var end = pending.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
                var head = pending[..end];
                var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.Ordinal)).Select(l => int.Parse(l[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                while (pending.Length < end + length)
                {
                    var read = await stream.ReadAsync(buffer);
                    pending += Encoding.ASCII.GetString(buffer, 0, read);
                }
                requests.Add(pending[..(end + length)]);
                pending = pending[(end + length)..];
                var bytes = Encoding.ASCII.GetBytes(answer);
                // Split the answer in two writes, so the client must join partial reads.
                await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                await stream.FlushAsync();
                await Task.Delay(10);
                await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
            }
        });

        using var connection = await UserConnection.OpenAsync(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(new HttpAnswer(422, null, false), await connection.SendAsync("POST", "/pessoas", "{\"a\":1}"u8.ToArray(), CancellationToken.None));
        Assert.Equal(new HttpAnswer(201, "/pessoas/abc", false), await connection.SendAsync("POST", "/pessoas", "{}"u8.ToArray(), CancellationToken.None));
        Assert.Equal(new HttpAnswer(304, null, false), await connection.SendAsync("GET", "/pessoas/abc", null, CancellationToken.None));
        Assert.Equal(new HttpAnswer(200, null, true), await connection.SendAsync("GET", "/pessoas?t=a%20b", null, CancellationToken.None));
        await server;

        Assert.Equal($"POST /pessoas HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{{\"a\":1}}", requests[0]);
        Assert.StartsWith("GET /pessoas?t=a%20b HTTP/1.1\r\n", requests[3]);
    }

    [Fact]
    public async Task RefusedConnectionThrowsSocketException()
    {
        var port = TestPorts.Next();
        await Assert.ThrowsAsync<SocketException>(() => UserConnection.OpenAsync(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(10), CancellationToken.None));
    }
}
