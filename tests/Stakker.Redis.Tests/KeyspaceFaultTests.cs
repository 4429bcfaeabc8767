using Stakker.Redis;

namespace Stakker.Redis.Tests;

/// <summary>A command that throws inside the keyspace answers its own client with an error; the keyspace
/// actor (and with it the server, for every other client) goes on</summary>
public class KeyspaceFaultTests
{
    [Fact]
    public void ACommandThatThrows_IsItsClientsError_AndTheKeyspaceServesTheNext()
    {
        var core = new Core(Instant.Zero);
        var info = new Share<ServerInfo>(core, new ServerInfo(0));
        using var keyspace = core.Spawn<Keyspace, (Share<ServerInfo>, Settings)>(
            static (cx, p) => new Keyspace(cx, p.Item1, p.Item2), (info, new Settings()), Ret.Shutdown(core));
        var answers = new List<string>();
        void Send(string name, params string[] args)
        {
            CommandInfo cmd = Commands.Find(System.Text.Encoding.ASCII.GetBytes(name))!;
            byte[][] a = [.. args.Prepend(name).Select(System.Text.Encoding.UTF8.GetBytes)];
            Ret<Reply> ret = Ret.From<Reply>(core, r => answers.Add(r.GetValueOrDefault(Reply.Nil).ToString()!));
            keyspace.Actor.Call(static (k, cx, p) => k.Execute(cx, p.cmd, p.a, 1, 0, p.ret), (cmd, a, ret));
            core.Run(core.Now, idle: false);
        }

        // GET without its key: the arity check in the connection never lets this through, so it
        // stands for any bug that throws inside a command.
        Send("GET");
        Send("SET", "k", "v");
        Send("GET", "k");

        Assert.Equal(3, answers.Count);
        Assert.StartsWith("Error ERR internal error in 'get' (IndexOutOfRangeException)", answers[0]);
        Assert.Equal("Simple OK", answers[1]);
        Assert.Equal("$v", answers[2]);
        Assert.False(core.IsShutdown);
        Assert.Equal(1, keyspace.Actor.Query(static (k, cx) => k.Faults));
        Assert.StartsWith("get: IndexOutOfRangeException", keyspace.Actor.Query(static (k, cx) => k.LastFault));
    }
}
