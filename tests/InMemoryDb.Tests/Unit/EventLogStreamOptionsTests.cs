using InMemoryDb.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace InMemoryDb.Tests.Unit;

/// <summary>The event-log stream's settings (<c>InMemoryDb:EventLogStreams</c>): defaults, overrides, nonsense refused.</summary>
public sealed class EventLogStreamOptionsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void SettingsHaveDefaultsOverridesAndRefuseNonsense()
    {
        var defaults = EventLogStreams.OptionsFrom(Configuration());
        Assert.Equal(TimeSpan.FromMilliseconds(50), defaults.PollPeriod);
        Assert.Equal(1000, defaults.ReadLimit);
        Assert.Equal(256, defaults.CacheCapacity);
        Assert.Equal(100, defaults.DeliveryBatchSize);

        var set = EventLogStreams.OptionsFrom(Configuration(
            ("InMemoryDb:EventLogStreams:PollPeriod", "00:00:00.020"), ("InMemoryDb:EventLogStreams:CacheCapacity", "64")));
        Assert.Equal(TimeSpan.FromMilliseconds(20), set.PollPeriod);
        Assert.Equal(64, set.CacheCapacity);

        var period = Assert.Throws<InvalidOperationException>(() => EventLogStreams.OptionsFrom(Configuration(("InMemoryDb:EventLogStreams:PollPeriod", "00:00:00"))));
        Assert.Contains("InMemoryDb:EventLogStreams:PollPeriod", period.Message);
        var limit = Assert.Throws<InvalidOperationException>(() => EventLogStreams.OptionsFrom(Configuration(("InMemoryDb:EventLogStreams:ReadLimit", "0"))));
        Assert.Contains("InMemoryDb:EventLogStreams:ReadLimit", limit.Message);
    }
}
