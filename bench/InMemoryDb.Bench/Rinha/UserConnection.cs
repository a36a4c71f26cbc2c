using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace InMemoryDb.Bench.Rinha;

/// <summary>What a response said that the load test needs: its status, its Location, whether the server closes.</summary>
public readonly record struct HttpAnswer(int Status, string? Location, bool Closes);

/// <summary>
/// A virtual user's own HTTP/1.1 connection: one TCP socket, opened by the user's first request and kept alive
/// for its next one, as a browser or Gatling's per-user connection would. A plain socket client, so that the
/// generator, which shares the machine with the service, spends as little CPU as possible per request: it
/// writes the request, reads the status line and headers, and reads the body away (Content-Length or chunked).
/// </summary>
public sealed class UserConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly string _host;
    private byte[] _buffer = new byte[8 * 1024];
    private int _start;
    private int _end;

    private UserConnection(Socket socket, string host)
    {
        _socket = socket;
        _host = host;
    }

    /// <summary>Connects to <paramref name="baseUri"/>'s host; <see cref="TimeoutException"/> after <paramref name="connectTimeout"/>.</summary>
    public static async Task<UserConnection> OpenAsync(Uri baseUri, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(baseUri.Host, baseUri.Port, connect.Token);
            return new UserConnection(socket, baseUri.Authority);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"No connection within {connectTimeout.TotalSeconds:F0} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request and reads its whole response.</summary>
    public async Task<HttpAnswer> SendAsync(string method, string target, byte[]? jsonBody, CancellationToken cancellationToken)
    {
        var head = new StringBuilder(128).Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: ").Append(_host).Append("\r\n");
        if (jsonBody is not null)
        {
            head.Append("Content-Type: application/json\r\nContent-Length: ").Append(jsonBody.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }
        head.Append("\r\n");
        var headLength = Encoding.ASCII.GetByteCount(head.ToString());
        var request = new byte[headLength + (jsonBody?.Length ?? 0)];
        Encoding.ASCII.GetBytes(head.ToString(), request);
        jsonBody?.CopyTo(request, headLength);
        for (var sent = 0; sent < request.Length;)
        {
            sent += await _socket.SendAsync(request.AsMemory(sent), SocketFlags.None, cancellationToken);
        }
        return await ReadResponseAsync(method == "HEAD", cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    private async Task<HttpAnswer> ReadResponseAsync(bool headOnly, CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await FillAsync(cancellationToken)) throw new IOException("The connection closed before the response headers ended.");
        }

        var headers = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
        _start = headerEnd + 4;
        var lines = headers.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new InvalidDataException($"Not an HTTP/1.x status line: '{lines[0]}'.");
        }

        long? contentLength = null;
        var chunked = false;
        var closes = status[0] == "HTTP/1.0";
        string? location = null;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) contentLength = long.Parse(value, CultureInfo.InvariantCulture);
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            else if (name.Equals("Location", StringComparison.OrdinalIgnoreCase)) location = value.ToString();
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) closes |= value.Contains("close", StringComparison.OrdinalIgnoreCase);
        }

        if (headOnly || code is (>= 100 and < 200) or 204 or 304) return new HttpAnswer(code, location, closes);
        if (chunked)
        {
            await SkipChunkedAsync(cancellationToken);
        }
        else if (contentLength is { } length)
        {
            await SkipAsync(length, cancellationToken);
        }
        else
        {
            while (await FillAsync(cancellationToken)) _start = _end;
            closes = true;
        }
        return new HttpAnswer(code, location, closes);
    }

    private async Task SkipChunkedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var size = await ReadLineAsync(cancellationToken);
            var semicolon = size.IndexOf(';');
            var chunk = long.Parse(semicolon >= 0 ? size[..semicolon] : size, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (chunk == 0)
            {
                while ((await ReadLineAsync(cancellationToken)).Length > 0)
                {
                    // Trailer fields: ignored.
                }
                return;
            }
            await SkipAsync(chunk, cancellationToken);
            if ((await ReadLineAsync(cancellationToken)).Length != 0) throw new InvalidDataException("A chunk did not end with CRLF.");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        int end;
        while ((end = IndexOf("\r\n"u8)) < 0)
        {
            if (!await FillAsync(cancellationToken)) throw new IOException("The connection closed inside a chunked body.");
        }
        var line = Encoding.ASCII.GetString(_buffer, _start, end - _start).Trim();
        _start = end + 2;
        return line;
    }

    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken)) throw new IOException("The connection closed before the body ended.");
            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    /// <summary>The absolute index in the buffer where <paramref name="pattern"/> starts among unread bytes, or -1.</summary>
    private int IndexOf(ReadOnlySpan<byte> pattern)
    {
        var at = _buffer.AsSpan(_start, _end - _start).IndexOf(pattern);
        return at < 0 ? -1 : _start + at;
    }

    /// <summary>Reads more bytes after the unread ones; false at the end of the stream.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                (_end, _start) = (_end - _start, 0);
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        _end += read;
        return read > 0;
    }
}
