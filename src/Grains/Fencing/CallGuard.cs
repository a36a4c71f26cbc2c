namespace InMemoryDb.Grains.Fencing;

/// <summary>
/// Runs before every grain call a silo receives: a call whose deadline has passed is refused (nobody waits for its
/// answer), and a silo whose membership lease ran out confirms it before serving (a silo the cluster declared dead
/// never serves again). Orleans' own system targets (membership probes, directory, stream agents) pass: a silo whose
/// lease lapsed must still answer the probes that decide whether it is alive. The common case costs a clock read and
/// a request-context lookup, without an await.
/// </summary>
public sealed class CallGuard(ISiloLease lease) : IIncomingGrainCallFilter
{
    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (GrainTypePrefix.IsSystemTarget(context.TargetId)) return context.Invoke();
        if (!lease.IsHeld) return ConfirmThenInvokeAsync(context);
        Deadline.ThrowIfPassed("the call", beforeCall: true);
        return context.Invoke();
    }

    private async Task ConfirmThenInvokeAsync(IIncomingGrainCallContext context)
    {
        await lease.ConfirmAsync(beforeCall: true);
        Deadline.ThrowIfPassed("the call", beforeCall: true);
        await context.Invoke();
    }
}
