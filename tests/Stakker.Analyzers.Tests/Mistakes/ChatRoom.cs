// A small chat system written with one of each actor mistake the analyzers know, next to the
// correct forms. Every line that must be reported ends with "// expect: STKnnnn" (ids separated by
// spaces); MistakesTests compiles this file with the real analyzers and wants exactly those.
// It is not part of the test project's own compilation.
using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Stakker;

namespace Chat;

sealed class Member
{
    public readonly string Name;
    public readonly List<string> Inbox = [];
    public Room? Joined;

    public Member(Cx<Member> cx, string name) => Name = name;

    public void Deliver(Cx<Member> cx, string line) => Inbox.Add(line);

    public void Enter(Cx<Member> cx, Room room) => Joined = room;

    public void Nick(Cx<Member> cx, Ret<string> ret) => ret.Answer(Name);
}

sealed class Room : IDisposable
{
    readonly List<ActorOwn<Member>> _members = [];
    readonly Dictionary<string, Ret<int>> _waiting = [];
    MaxTimerKey _idle;
    int _lines;

    public Room(Cx<Room> cx) { }

    public void Join(Cx<Room> cx, string name)
    {
        ActorOwn<Member> m = cx.Spawn<Member, string>(static (cx, n) => new Member(cx, n), name, cx.RetFailThrough());
        _members.Add(m);
        m.Call(static (a, cx, r) => a.Enter(cx, r), this);   // expect: STK0006
        cx.Spawn<Member, string>(static (cx, n) => new Member(cx, n), "ghost", Ret.Nop<StopCause>());   // expect: STK0003
        cx.TimerMax(ref _idle, cx.Now + TimeSpan.FromMinutes(5), static (a, cx) => cx.Stop());
    }

    public void Say(Cx<Room> cx, string line)
    {
        _lines++;
        foreach (var m in _members) m.Call(static (a, cx, l) => a.Deliver(cx, l), line);
        foreach (var m in _members) m.Call((a, cx) => a.Deliver(cx, line));   // expect: STK0005
        File.AppendAllText("chat.log", line + "\n");   // expect: STK0001
        MaxTimerKey quiet = default;
        cx.TimerMax(ref quiet, cx.Now + TimeSpan.FromMinutes(1), static (a, cx) => a.Quiet(cx));   // expect: STK0008
    }

    void Quiet(Cx<Room> cx) { }

    public void Count(Cx<Room> cx, bool exact, Ret<int> ret)   // expect: STK0004
    {
        if (exact) ret.Answer(_lines);
        else if (_lines > 100) ret.Answer(100);
    }

    public void CountLater(Cx<Room> cx, string who, Ret<int> ret)
    {
        if (_waiting.ContainsKey(who)) { ret.Dispose(); return; }
        _waiting[who] = ret;
    }

    public void Names(Cx<Room> cx, Ret<List<string>> ret)
    {
        var names = new List<string>();
        foreach (var m in _members) names.Add(m.Actor.Query(static (a, cx) => a.Name));   // expect: STK0007
        ret.Answer(names);
    }

    public void Archive(Cx<Room> cx, HttpClient http)
    {
        var body = http.GetStringAsync("http://127.0.0.1/archive").Result;   // expect: STK0001
        Save(body);   // expect: STK0002
        cx.StartAsync(async co =>
        {
            string text = await http.GetStringAsync("http://127.0.0.1/archive");
            co.State._lines += text.Length;
            Thread.Sleep(10);   // expect: STK0001
        });
    }

    async void Save(string body) => await File.WriteAllTextAsync("archive.txt", body);

    public void Listen(Cx<Room> cx)
    {
        cx.Core.CreateWaker(cx.Fwd<bool>(static (a, cx, dropped) => { }));   // expect: STK0008
    }

    public void Dispose()
    {
        foreach (var m in _members) m.Dispose();
        foreach (var r in _waiting.Values) r.Dispose();
    }
}

static class Program
{
    public static void Main()
    {
        using var core = new Core(Instant.Zero);
        using var room = core.Spawn<Room>(static cx => new Room(cx), Ret.Shutdown(core));
        room.Call(static (a, cx, n) => a.Join(cx, n), "ada");
        var done = Ret.From<int>(core, async a => await Task.Yield());   // expect: STK0002
        room.Call(static (a, cx, r) => a.Count(cx, true, r), done);
        core.Run(core.Now, false);
        Console.WriteLine(room.Actor.Query(static (a, cx) => a.ToString()));
        Thread.Sleep(1);   // a driver may block: no actor runs on this stack
        var lobby = room.Actor.CrossCore();
        Task.Run(() => lobby.Call(static (a, cx, n) => a.Join(cx, n), "bob"));   // the handle for other threads
        Task.Run(() => room.Call(static (a, cx, n) => a.Join(cx, n), "eve"));   // expect: STK0009
    }
}
