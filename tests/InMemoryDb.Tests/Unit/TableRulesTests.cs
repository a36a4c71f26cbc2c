using System.Text.Json.Nodes;
using InMemoryDb.Api.Http;
using InMemoryDb.Grains;
using InMemoryDb.Grains.Tables;
using InMemoryDb.Tables;

namespace InMemoryDb.Tests.Unit;

public sealed class TableRulesTests
{
    [Theory]
    [InlineData("users", true)]
    [InlineData("a", true)]
    [InlineData("orders_2024", true)]
    [InlineData("Users", false)]
    [InlineData("1abc", false)]
    [InlineData("_abc", false)]
    [InlineData("a-b", false)]
    [InlineData("", false)]
    public void TableNamesFollowThePattern(string name, bool valid) => Assert.Equal(valid, TableNames.IsValid(name));

    [Fact]
    public void TableNamesAreAtMost63Characters()
    {
        Assert.True(TableNames.IsValid("a" + new string('b', 62)));
        Assert.False(TableNames.IsValid("a" + new string('b', 63)));
    }

    [Theory]
    [InlineData("abc", null)]
    [InlineData("", "The id must be a non-empty string.")]
    [InlineData("a/b", "The id must not contain '/' or control characters.")]
    [InlineData("a\nb", "The id must not contain '/' or control characters.")]
    public void IdsAreChecked(string id, string? problem) => Assert.Equal(problem, TableNames.CheckId(id));

    [Fact]
    public void RecordKeysRoundTrip()
    {
        var key = TableNames.RecordKey("users", "id-1");
        Assert.Equal("users/id-1", key);
        Assert.Equal(("users", "id-1"), TableNames.ParseRecordKey(key));
    }

    [Fact]
    public void ValidUserHasNoErrors()
    {
        var user = JsonNode.Parse("""{"email":"a.b@example.com","full_name":"A B","age":30,"password":"12345678"}""")!.AsObject();
        Assert.Empty(TableSchemas.Validate("users", user, passwordRequired: true));
    }

    [Fact]
    public void InvalidUserReportsEveryField()
    {
        var user = JsonNode.Parse("""{"email":"not-an-email","full_name":"","age":151,"password":"short","nickname":"x"}""")!.AsObject();
        var errors = TableSchemas.Validate("users", user, passwordRequired: true);
        Assert.Equal(["age", "email", "full_name", "nickname", "password"], errors.Keys.Order());
    }

    [Theory]
    [InlineData("""{"email":"a@example.com","full_name":"A"}""", "password")]
    [InlineData("""{"email":"a@example.com","full_name":"A","password":"12345678","age":30.5}""", "age")]
    [InlineData("""{"email":"a@example.com","full_name":"A","password":"12345678","age":"30"}""", "age")]
    [InlineData("""{"email":"a@example.com","full_name":1,"password":"12345678"}""", "full_name")]
    [InlineData("""{"email":"a@localhost","full_name":"A","password":"12345678"}""", "email")]
    public void UserRulesHold(string json, string field)
    {
        var errors = TableSchemas.Validate("users", JsonNode.Parse(json)!.AsObject(), passwordRequired: true);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void FullNameCountsCharactersNotBytes()
    {
        var user = JsonNode.Parse($$"""{"email":"a@example.com","full_name":"{{new string('é', 100)}}","password":"12345678"}""")!.AsObject();
        Assert.Empty(TableSchemas.Validate("users", user, passwordRequired: true));
    }

    [Fact]
    public void AgeIsOptionalAndMayBeNull()
    {
        var user = JsonNode.Parse("""{"email":"a@example.com","full_name":"A","password":"12345678","age":null}""")!.AsObject();
        Assert.Empty(TableSchemas.Validate("users", user, passwordRequired: true));
    }

    [Fact]
    public void OrderRulesHold()
    {
        var order = JsonNode.Parse("""{"product_name":"","quantity":0,"total_price":-0.01,"user_id":5}""")!.AsObject();
        var errors = TableSchemas.Validate("orders", order, passwordRequired: false);
        Assert.Equal(["product_name", "quantity", "total_price", "user_id"], errors.Keys.Order());
        var valid = JsonNode.Parse("""{"product_name":"W","quantity":1,"total_price":0,"user_id":"u"}""")!.AsObject();
        Assert.Empty(TableSchemas.Validate("orders", valid, passwordRequired: false));
    }

    [Fact]
    public void SchemalessTablesAcceptAnyObject()
    {
        var data = JsonNode.Parse("""{"nested":{"a":[1,2,{"b":null}]},"x":true}""")!.AsObject();
        Assert.Empty(TableSchemas.Validate("anything", data, passwordRequired: true));
    }

    [Theory]
    [InlineData("""{"k":1}""", "n:1")]
    [InlineData("""{"k":1.0}""", "n:1")]
    [InlineData("""{"k":"1"}""", "s:1")]
    [InlineData("""{"k":true}""", "b:true")]
    [InlineData("""{"a":{"k":2},"k":[1, 2]}""", "j:[1, 2]")]
    public void JoinKeysAreTypedAndCanonical(string json, string key)
        => Assert.Equal(new JoinKeys.Lookup(true, key), JoinKeys.Find(json, "k"));

    [Fact]
    public void JoinKeysTellMissingFromNull()
    {
        Assert.Equal(new JoinKeys.Lookup(false, null), JoinKeys.Find("""{"a":{"k":1}}""", "k"));
        Assert.Equal(new JoinKeys.Lookup(true, null), JoinKeys.Find("""{"k":null}""", "k"));
    }

    [Fact]
    public void PartitionsSpreadIdsAndStayStable()
    {
        var counts = new int[Partitioning.Count];
        for (var i = 0; i < 16_000; i++) counts[Partitioning.Of(Guid.NewGuid().ToString())]++;
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
        // MD5("abc") = 900150983cd24fb0…: the high nibble of the first byte is 9.
        Assert.Equal(9, Partitioning.Of("abc"));
    }

    [Theory]
    [InlineData(null, true, null)]
    [InlineData("*", true, null)]
    [InlineData("\"7\"", true, 7L)]
    [InlineData("W/\"7\"", true, 7L)]
    [InlineData("7", false, null)]
    [InlineData("\"x\"", false, null)]
    public void IfMatchIsParsed(string? header, bool ok, long? version)
    {
        Assert.Equal(ok, ETags.TryParseIfMatch(header, out var parsed));
        Assert.Equal(version, parsed);
    }

    [Fact]
    public void TimestampsAreIsoUtcWithMicroseconds()
    {
        var random = new Random(7);
        DateTimeOffset[] values =
        [
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(2026, 11, 27, 10, 50, 21, TimeSpan.FromHours(-3)),
            .. Enumerable.Range(0, 1000).Select(_ => new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero)),
        ];
        foreach (var value in values)
        {
            Assert.Equal(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture), RecordJson.Timestamp(value));
        }
        Assert.Equal("2026-11-27T13:50:21.000000Z", RecordJson.Timestamp(new DateTimeOffset(2026, 11, 27, 10, 50, 21, TimeSpan.FromHours(-3))));
    }
}
