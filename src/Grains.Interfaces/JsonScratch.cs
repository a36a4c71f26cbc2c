using System.Buffers;
using System.Text;
using System.Text.Json;

namespace InMemoryDb;

/// <summary>
/// A buffer per thread for writing small JSON documents: a new growing buffer per document cost about a kilobyte of
/// garbage per event and per response. <see cref="Take"/> hands the thread's buffer out (a nested or concurrent
/// caller gets a new one), <see cref="Return"/> gives it back; buffers grown beyond 64 KiB are left to the collector.
/// </summary>
public static class JsonScratch
{
    private const int InitialCapacity = 1024;
    private const int KeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>An empty buffer; give it back with <see cref="Return"/> once its bytes are no longer used.</summary>
    public static ArrayBufferWriter<byte> Take()
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(InitialCapacity);
        t_buffer = null;
        buffer.ResetWrittenCount();
        return buffer;
    }

    /// <summary>Gives a buffer from <see cref="Take"/> back to the current thread.</summary>
    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= KeptCapacity) t_buffer = buffer;
    }

    /// <summary>The document <paramref name="write"/> writes, as a string.</summary>
    public static string ToJson<T>(T value, Action<Utf8JsonWriter, T> write, JsonWriterOptions options)
    {
        var buffer = Take();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, options))
            {
                write(writer, value);
            }
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            Return(buffer);
        }
    }
}
