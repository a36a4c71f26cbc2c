using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>An HTTP/1.1 answer read off the wire.</summary>
/// <param name="Status">The status code (0 when the server closed the connection without answering).</param>
/// <param name="Headers">The headers (names lower-case; repeated ones joined by ", ").</param>
/// <param name="Body">The body, de-chunked.</param>
public sealed record RawAnswer(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>
/// Sends requests byte for byte as given (request line, headers and body: no normalisation of the path, no encoding
/// of the body), one connection per request (<c>Connection: close</c>), and reads the answer whole: what a hostile
/// client can send that HttpClient would refuse or rewrite.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="method"/> <paramref name="target"/> with the headers and body; throws TimeoutException past <paramref name="timeout"/>.</summary>
    public static async Task<RawAnswer> SendAsync(Uri server, string method, string target, byte[]? body = null,
        IEnumerable<(string Name, string Value)>? headers = null, bool chunked = false, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, deadline.Token);
            var head = new StringBuilder().Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: ").Append(server.Authority).Append("\r\nConnection: close\r\n");
            foreach (var (name, value) in headers ?? []) head.Append(name).Append(": ").Append(value).Append("\r\n");
            if (body is not null)
            {
                head.Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n");
            }
            head.Append("\r\n");
            await SendAllAsync(socket, Encoding.UTF8.GetBytes(head.ToString()), deadline.Token);
            if (body is not null)
            {
                if (!chunked)
                {
                    await SendAllAsync(socket, body, deadline.Token);
                }
                else
                {
                    for (var at = 0; at < body.Length; at += 64 * 1024)
                    {
                        var length = Math.Min(64 * 1024, body.Length - at);
                        await SendAllAsync(socket, Encoding.ASCII.GetBytes(length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), deadline.Token);
                        await SendAllAsync(socket, body.AsMemory(at, length), deadline.Token);
                        await SendAllAsync(socket, "\r\n"u8.ToArray(), deadline.Token);
                    }
                    await SendAllAsync(socket, "0\r\n\r\n"u8.ToArray(), deadline.Token);
                }
            }

            var received = new MemoryStream();
            var buffer = new byte[64 * 1024];
            while (true)
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                }
                catch (SocketException) when (received.Length > 0)
                {
                    break; // Reset after answering (the server may close before reading a body it refused).
                }
                if (read == 0) break;
                received.Write(buffer, 0, read);
            }
            return Parse(received.ToArray());
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{method} {target} got no complete answer within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s.");
        }
        catch (SocketException)
        {
            return new RawAnswer(0, new Dictionary<string, string>(), []);
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            for (var sent = 0; sent < bytes.Length;) sent += await socket.SendAsync(bytes[sent..], SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            // The server answered and closed before taking the whole request (a body it refused): read its answer.
        }
    }

    private static RawAnswer Parse(byte[] raw)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) return new RawAnswer(0, new Dictionary<string, string>(), raw);
        var lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        var parts = lines[0].Split(' ', 3);
        var status = parts.Length >= 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var code) ? code : 0;
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }
        var body = raw.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        return new RawAnswer(status, headers, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var output = new MemoryStream();
        var at = 0;
        while (at < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8);
            if (lineEnd < 0) break;
            var sizeText = Encoding.ASCII.GetString(chunked, at, lineEnd).Split(';')[0];
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0) break;
            at += lineEnd + 2;
            output.Write(chunked, at, Math.Min(size, chunked.Length - at));
            at += size + 2;
        }
        return output.ToArray();
    }
}
