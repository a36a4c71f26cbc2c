namespace InMemoryDb.Bench.Rinha;

/// <summary>One step of a Gatling injection profile (open model): when its virtual users arrive.</summary>
/// <param name="From">Arrival rate (users/s) at the start of the step.</param>
/// <param name="To">Arrival rate at the end (equal to <paramref name="From"/> for a constant rate).</param>
/// <param name="Seconds">How long the step lasts.</param>
/// <param name="Randomized">Poisson arrivals (exponential gaps with mean 1/rate) instead of regular ones; constant rate only.</param>
public sealed record InjectionStep(double From, double To, double Seconds, bool Randomized = false)
{
    /// <summary><c>constantUsersPerSec(rate) during seconds</c>, optionally <c>.randomized</c>.</summary>
    public static InjectionStep Constant(double rate, double seconds, bool randomized = false) => new(rate, rate, seconds, randomized);

    /// <summary><c>rampUsersPerSec(from) to to during seconds</c>.</summary>
    public static InjectionStep Ramp(double from, double to, double seconds) => new(from, to, seconds);

    /// <summary>This step with every rate multiplied by <paramref name="rate"/> and its duration by <paramref name="time"/>.</summary>
    public InjectionStep Scale(double rate, double time) => this with { From = From * rate, To = To * rate, Seconds = Seconds * time };

    /// <summary>
    /// Arrival offsets in seconds from the step's start. Regular: user i of a ramp from a to b over d seconds
    /// arrives at the t solving <c>i = a·t + (b − a)·t² / (2d)</c> (for a constant rate, <c>t = i / a</c>), for
    /// i from 0 while t &lt; d. Randomized: exponential gaps, drawn from <paramref name="random"/>.
    /// </summary>
    public IEnumerable<double> Arrivals(Random random)
    {
        if (Seconds <= 0) yield break;
        if (Randomized)
        {
            if (From <= 0) yield break;
            for (var t = -Math.Log(1 - random.NextDouble()) / From; t < Seconds; t += -Math.Log(1 - random.NextDouble()) / From)
            {
                yield return t;
            }
            yield break;
        }

        var total = From * Seconds + (To - From) * Seconds / 2;
        var slope = (To - From) / Seconds;
        for (var i = 0; i < total - 1e-9; i++)
        {
            double t;
            if (Math.Abs(slope) < 1e-12)
            {
                t = i / From;
            }
            else
            {
                t = (-From + Math.Sqrt(From * From + 2 * slope * i)) / slope;
            }
            if (t >= Seconds) yield break;
            yield return t;
        }
    }
}
