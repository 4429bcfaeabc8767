namespace RemoteBench;

/// <summary>The server side of every framework: say ready, then serve until the driver closes stdin</summary>
public static class Server
{
    public static async Task ReadyAndWaitAsync()
    {
        Console.WriteLine("READY");
        Console.Out.Flush();
        await Task.Run(() => { while (Console.In.ReadLine() is not null) { } });
    }
}
