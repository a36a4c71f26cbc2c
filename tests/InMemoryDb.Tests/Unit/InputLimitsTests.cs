using System.Text;

namespace InMemoryDb.Tests.Unit;

/// <summary>The one definition of what the service accepts (<see cref="InputLimits"/>).</summary>
public sealed class InputLimitsTests
{
    [Theory]
    [InlineData("plain", null)]
    [InlineData("José 😀 \u0001\t\n", null)]
    [InlineData("a\0b", InputLimits.NulMessage)]
    [InlineData("\0", InputLimits.NulMessage)]
    public void TextWithoutNulIsStorable(string text, string? problem)
        => Assert.Equal(problem, InputLimits.CheckText(text));

    [Fact]
    public void TextWithAnUnpairedSurrogateIsRefused()
    {
        // Built here: attribute arguments cannot carry an unpaired surrogate (metadata stores them as UTF-8).
        Assert.Equal(InputLimits.InvalidUnicodeMessage, InputLimits.CheckText("a" + '\uD800' + "x"));
        Assert.Equal(InputLimits.InvalidUnicodeMessage, InputLimits.CheckText("x" + '\uDC00'));
        Assert.Equal(InputLimits.InvalidUnicodeMessage, InputLimits.CheckText("😀"[..1]));
        Assert.Null(InputLimits.CheckText("😀😀"));
    }

    [Theory]
    [InlineData("""{"a":1,"b":"x","c":[1,2,{"d":null}],"e":true}""")]
    [InlineData("""{"big":1.7976931348623157e308,"small":5e-324,"neg":-1e308,"zero":0,"zeros":0.000e-999}""")]
    [InlineData("""{"precise":0.1000000000000000055511151231257827021181583404541015625}""")]
    [InlineData("""{"escapes":"\u0001\u001f\\\"\ud83d\ude00"}""")]
    public void StorableJsonPasses(string json)
        => Assert.Null(InputLimits.CheckJson(json, "data"));

    [Theory]
    [InlineData("""{"a":"x\u0000y"}""", "data.a", false)]
    [InlineData("""{"a\u0000":1}""", "data", false)]
    [InlineData("""{"b":1,"a\u0000":1}""", "data", false)]
    [InlineData("""{"a":[1,"\u0000"]}""", "data.a[1]", false)]
    [InlineData("""{"n":1e200000}""", "data.n", false)]
    [InlineData("""{"n":-1e309}""", "data.n", false)]
    [InlineData("""{"n":1e-400}""", "data.n", false)]
    [InlineData("""{"a":1,"a":2}""", "data.a", true)]
    [InlineData("""{"o":{"x":1,"y":{"x":2},"x":3}}""", "data.o.x", true)]
    [InlineData("""{"a":"\ud800x"}""", "data.a", true)]
    [InlineData("""{"a":"\udc00"}""", "data.a", true)]
    [InlineData("""{"a":1""", "data.a", true)]
    public void UnstorableJsonIsRefusedWithItsPath(string json, string path, bool malformed)
    {
        var problem = InputLimits.CheckJson(json, "data");
        Assert.NotNull(problem);
        Assert.Equal(path, problem.Path);
        Assert.Equal(malformed, problem.Malformed);
    }

    [Fact]
    public void LongNumberLiteralsAreRefused()
    {
        var fits = "1." + new string('0', InputLimits.MaxNumberLength - 2);
        Assert.Null(InputLimits.CheckJson($"{{\"n\":{fits}}}", "data"));
        var problem = InputLimits.CheckJson($"{{\"n\":{fits}0}}", "data");
        Assert.Equal("data.n", problem?.Path);
    }

    [Fact]
    public void InvalidUtf8InsideAStringIsMalformed()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"a":"xy"}""");
        bytes[7] = 0xFF;
        var problem = InputLimits.CheckJson(bytes, "data");
        Assert.Equal("data.a", problem?.Path);
        Assert.True(problem!.Malformed);
    }

    [Fact]
    public void NestingIsLimitedToMaxDepthLevels()
    {
        static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);
        Assert.Null(InputLimits.CheckJson(Nested(InputLimits.MaxDepth), "data"));
        var problem = InputLimits.CheckJson(Nested(InputLimits.MaxDepth + 1), "data");
        Assert.True(problem is { Malformed: true }, problem?.ToString());
        Assert.Equal("data" + string.Concat(Enumerable.Repeat(".a", InputLimits.MaxDepth)), problem!.Path);
        // Far deeper than the reader's own limit: still a clean refusal.
        Assert.NotNull(InputLimits.CheckJson(Nested(5000), "data"));
        // A wrapper level around the value does not count.
        Assert.Null(InputLimits.CheckJson(Encoding.UTF8.GetBytes($"{{\"data\":{Nested(InputLimits.MaxDepth)}}}"), "", wrapperLevels: 1));
    }

    [Fact]
    public void PathsWithAnEmptyRootStartAtTheFirstProperty()
        => Assert.Equal("data.x", InputLimits.CheckJson(Encoding.UTF8.GetBytes("""{"data":{"x":"\u0000"}}"""), "", wrapperLevels: 1)?.Path);

    [Fact]
    public void TimestampsKeepRoomForALaterOperation()
    {
        Assert.Null(InputLimits.CheckTimestamp(new DateTimeOffset(9999, 12, 30, 23, 59, 59, TimeSpan.Zero)));
        Assert.NotNull(InputLimits.CheckTimestamp(new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)));
        Assert.NotNull(InputLimits.CheckTimestamp(DateTimeOffset.MaxValue));
        Assert.Null(InputLimits.CheckTimestamp(DateTimeOffset.MinValue));
        Assert.Null(InputLimits.CheckTimestamp(InputLimits.MaxTimestamp));
        Assert.Equal(InputLimits.MaxTimestamp.UtcTicks + 1, InputLimits.MaxTimestamp.AddTicks(1).UtcTicks);
    }
}
