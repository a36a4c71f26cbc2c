using System.Text.Json;
using InMemoryDb.Pessoas;
using InMemoryDb.Tables;

namespace InMemoryDb.Tests.Unit;

/// <summary>The per-thread JSON buffer: reused, never shared by two users at once, not kept when grown large.</summary>
public sealed class JsonScratchTests
{
    [Fact]
    public void ABufferTakenTwiceBeforeItsReturnIsTwoBuffers()
    {
        var first = JsonScratch.Take();
        var nested = JsonScratch.Take();
        Assert.NotSame(first, nested);
        JsonScratch.Return(nested);
        JsonScratch.Return(first);
        var again = JsonScratch.Take();
        Assert.Same(first, again);
        Assert.Equal(0, again.WrittenCount);
        JsonScratch.Return(again);
    }

    [Fact]
    public void ALargeBufferIsNotKept()
    {
        var buffer = JsonScratch.Take();
        buffer.GetSpan(256 * 1024);
        JsonScratch.Return(buffer);
        var next = JsonScratch.Take();
        Assert.NotSame(buffer, next);
        JsonScratch.Return(next);
    }

    [Fact]
    public void DocumentsWrittenOneAfterAnotherDoNotMix()
    {
        var big = new Pessoa(Guid.NewGuid().ToString(), "apelido", new string('n', 3000), "2000-01-01", ["C#", "Go"]);
        var small = new Pessoa(Guid.NewGuid().ToString(), "a", "b", "2000-01-02", null);
        var bigJson = PessoaJson.ToJson(big);
        var smallJson = PessoaJson.ToJson(small);
        Assert.Equal(3000, JsonDocument.Parse(bigJson).RootElement.GetProperty("nome").GetString()!.Length);
        using var document = JsonDocument.Parse(smallJson);
        Assert.Equal("b", document.RootElement.GetProperty("nome").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("stack").ValueKind);
        Assert.Equal(smallJson, JsonScratch.ToJson(small, PessoaJson.Write, RecordJson.WriterOptions));
    }
}
