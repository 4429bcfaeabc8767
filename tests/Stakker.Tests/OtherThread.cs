namespace Stakker.Tests;

/// <summary>Runs code on a thread of its own, for tests of what other threads may and may not do</summary>
internal static class OtherThread
{
    /// <summary>Runs <paramref name="action"/> on a new thread, joined at once; returns what it threw</summary>
    public static Exception? Run(Action action)
    {
        Exception? caught = null;
        var t = new Thread(() =>
        {
            try { action(); }
            catch (Exception e) { caught = e; }
        });
        t.Start();
        t.Join();
        return caught;
    }
}
