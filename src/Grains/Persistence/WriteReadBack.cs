namespace InMemoryDb.Grains.Persistence;

/// <summary>What a state write that failed with an error other than a version conflict actually did.</summary>
public enum WriteFate
{
    /// <summary>The stored state holds the write: the change is durable after all.</summary>
    Written,

    /// <summary>The stored state does not hold the write: the grain's state is now the stored one.</summary>
    NotWritten,

    /// <summary>The state could not be read back either; the grain keeps trying in the background.</summary>
    Unknown,
}

/// <summary>
/// A state write can fail after the database committed it: the connection dropped, or the command timed out, while
/// the commit's answer was on its way. Taking such an error for "not written" is wrong both ways: the grain would
/// keep its old state in memory while the new one is stored, and undo side effects (release an email reservation)
/// of a change that is durable. So after any error other than a version conflict (which says for sure that nothing
/// was written) the grain reads its state back and looks for the write in it (every change carries a new event in
/// the same write). Until the read works the outcome is <see cref="WriteFate.Unknown"/>: the grain keeps what the
/// write might have made permanent (reservations) and a timer reads the state back until it can, then lets the
/// grain finish what an acknowledged write does (index partition, event log).
/// </summary>
public static partial class WriteReadBack
{
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Reads the state back after <paramref name="error"/> and tells whether it holds the write
    /// (<paramref name="holdsWrite"/>, asked after the read). When the read fails, a timer of
    /// <paramref name="grain"/> repeats it every few seconds until it works, then calls <paramref name="resolved"/>.
    /// </summary>
    public static async Task<WriteFate> ResolveAsync(
        Grain grain, Func<Task> read, Func<bool> holdsWrite, Func<Task> resolved, ILogger logger, Exception error)
    {
        var id = grain.GetGrainId();
        try
        {
            await read();
        }
        catch (Exception readError)
        {
            LogUnknown(logger, error, id, readError.Message);
            IGrainTimer? timer = null;
            timer = grain.RegisterGrainTimer(async () =>
            {
                try
                {
                    await read();
                }
                catch (Exception retryError)
                {
                    LogStillUnknown(logger, id, retryError.Message);
                    return;
                }
                timer?.Dispose();
                LogResolvedLater(logger, id, holdsWrite());
                await resolved();
            }, new GrainTimerCreationOptions(RetryPeriod, RetryPeriod) { KeepAlive = true });
            return WriteFate.Unknown;
        }
        var fate = holdsWrite() ? WriteFate.Written : WriteFate.NotWritten;
        LogResolved(logger, error, id, fate);
        return fate;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A state write of {Grain} failed without saying whether it was applied; read back: {Fate}")]
    private static partial void LogResolved(ILogger logger, Exception exception, GrainId grain, WriteFate fate);

    [LoggerMessage(Level = LogLevel.Error, Message = "A state write of {Grain} failed without saying whether it was applied, and reading it back failed too ({ReadError}); retrying the read in the background")]
    private static partial void LogUnknown(ILogger logger, Exception exception, GrainId grain, string readError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading back the state of {Grain} failed again ({ReadError})")]
    private static partial void LogStillUnknown(ILogger logger, GrainId grain, string readError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read back the state of {Grain}; it holds the earlier failed write: {Written}")]
    private static partial void LogResolvedLater(ILogger logger, GrainId grain, bool written);
}
