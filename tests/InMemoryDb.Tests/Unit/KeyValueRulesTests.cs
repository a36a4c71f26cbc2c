using InMemoryDb.Grains;
using InMemoryDb.Grains.KeyValue;
using InMemoryDb.KeyValue;

namespace InMemoryDb.Tests.Unit;

public sealed class KeyValueRulesTests
{
    [Theory]
    [InlineData("abc", "kv/abc")]
    [InlineData("020235", "kv/020235")]
    [InlineData("a/b", "kv/a%2Fb")]
    [InlineData("50%", "kv/50%25")]
    [InlineData("#x", "kv/%23x")]
    [InlineData("é", "kv/%C3%A9")]
    [InlineData("A-z_0.9~", "kv/A-z_0.9~")]
    public void GrainKeysEncodeEveryUnsafeCharacter(string key, string grainKey)
        => Assert.Equal(grainKey, KeyValueKeys.GrainKey(key));

    [Fact]
    public void LongEncodingsBecomeAHashWithinTheStorageKeyLimit()
    {
        var keys = new[] { new string('a', 256), new string('a', 255) + "b", new string('/', 256), new string('é', 256), "😀" + new string('x', 254) };
        var grainKeys = keys.Select(KeyValueKeys.GrainKey).ToArray();
        Assert.All(grainKeys, g => Assert.True(g.Length <= 204, g));
        Assert.Equal(keys.Length, grainKeys.Distinct().Count());
        Assert.StartsWith("kv/#", grainKeys[0]);
        Assert.Equal("kv/" + new string('a', 200), KeyValueKeys.GrainKey(new string('a', 200)));
    }

    [Fact]
    public void DistinctKeysNeverShareAGrain()
    {
        var keys = new List<string> { "1", "01", "001", "a/b", "a%2Fb", "a%2fb", "#", "%23", "" + '\u00e9', "e\u0301" };
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var chars = Enumerable.Range(0, random.Next(1, 12)).Select(_ => "a/%#1é 😀"[random.Next(8)]).ToArray();
            keys.Add(new string(chars));
        }
        var valid = keys.Distinct().Where(k => KeyValueKeys.CheckKey(k) is null).ToArray();
        Assert.Equal(valid.Length, valid.Select(KeyValueKeys.GrainKey).Distinct().Count());
        // Every grain key is {scope}/{id}: the partition scan reads the scope before the first '/'.
        Assert.All(valid, k => Assert.Equal("kv", KeyValueKeys.GrainKey(k).Split('/')[0]));
        Assert.All(valid, k => Assert.DoesNotContain('/', KeyValueKeys.GrainKey(k)[3..]));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("a", true)]
    [InlineData("a\0b", false)]
    [InlineData("😀", true)]
    public void KeysMustBeNonEmptyValidText(string? key, bool valid)
        => Assert.Equal(valid, KeyValueKeys.CheckKey(key) is null);

    [Fact]
    public void UnpairedSurrogatesAreRejected()
    {
        // Built here: attribute arguments cannot carry an unpaired surrogate (metadata stores them as UTF-8).
        Assert.NotNull(KeyValueKeys.CheckKey("\ud800"));
        Assert.NotNull(KeyValueKeys.CheckKey("x\udc00"));
        Assert.NotNull(KeyValueKeys.CheckValue("a\ud83d"));
        Assert.Null(KeyValueKeys.CheckValue("a\ud83d\ude00"));
    }

    [Fact]
    public void ValuesAreLimitedTo64KiBOfUtf8()
    {
        Assert.Null(KeyValueKeys.CheckValue(""));
        Assert.Null(KeyValueKeys.CheckValue(new string('x', 65536)));
        Assert.NotNull(KeyValueKeys.CheckValue(new string('x', 65537)));
        Assert.Null(KeyValueKeys.CheckValue(new string('é', 32768)));
        Assert.NotNull(KeyValueKeys.CheckValue(new string('é', 32769)));
        Assert.NotNull(KeyValueKeys.CheckValue(null));
    }

    [Fact]
    public void LastWriterWinsIsATotalOrderIndependentOfArrival()
    {
        var t = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(LastWriterWins.Compare(t.AddTicks(1), "a", t, "z") > 0);
        Assert.True(LastWriterWins.Compare(t, null, t, "z") > 0);
        Assert.True(LastWriterWins.Compare(t, "z", t, null) < 0);
        Assert.True(LastWriterWins.Compare(t, "b", t, "a") > 0);
        Assert.Equal(0, LastWriterWins.Compare(t, null, t, null));
        Assert.Equal(0, LastWriterWins.Compare(t, "a", t.ToOffset(TimeSpan.FromHours(2)), "a"));
    }

    [Theory]
    [InlineData("1700000000000", "2023-11-14T22:13:20.0000000Z")]
    [InlineData("2030-01-01T00:00:00Z", "2030-01-01T00:00:00.0000000Z")]
    [InlineData("2030-01-01T01:00:00+01:00", "2030-01-01T00:00:00.0000000Z")]
    [InlineData("2030-01-01T00:00:00.1234567Z", "2030-01-01T00:00:00.1234567Z")]
    [InlineData("2030-01-01T00:00", "2030-01-01T00:00:00.0000000Z")]
    public void TimestampsParseAsIsoOrUnixMilliseconds(string text, string formatted)
    {
        Assert.True(KeyValueTimestamps.TryParse(text, out var parsed));
        Assert.Equal(formatted, KeyValueTimestamps.Format(parsed));
        Assert.True(KeyValueTimestamps.TryParse(formatted, out var again));
        Assert.Equal(parsed, again);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("1/2/2030")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    [InlineData("2030-13-01T00:00:00Z")]
    public void OtherTimestampsAreRejected(string text) => Assert.False(KeyValueTimestamps.TryParse(text, out _));

    [Fact]
    public void IndexPartitionOfAKeyIsThePartitionOfItsEncodedId()
    {
        var grainKey = KeyValueKeys.GrainKey("a/b");
        Assert.Equal(Partitioning.Of("a%2Fb"), KeyValueIndexGrain.PartitionOf(grainKey));
    }
}
