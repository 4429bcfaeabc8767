namespace Stakker.Remote.TestHost;

public sealed class Counter(string id, Actor<Counter> self) : ICounter, IDisposable
{
    long _total;
    readonly List<int> _log = new();
    readonly List<Ret<int>> _held = new();

    public void Add(int n) => _total += n;
    public void Get(Ret<long> total) => total.Answer(_total);
    public void Append(int sender, int seq) => _log.Add(seq);
    public void Log(Ret<List<int>> seqs) => seqs.Answer(new List<int>(_log));
    public void Who(Ret<string> ret) => ret.Answer(id);
    public void Drop(Ret<int> ret) => ret.Dispose();
    public void Hold(Ret<int> ret) => _held.Add(ret);

    public void Count(int upTo, Fwd<int> items)
    {
        for (int i = 1; i <= upTo; i++) items.Send(i);
        items.End();
    }

    public void FailAfter(int items, string message, Fwd<int> stream)
    {
        for (int i = 1; i <= items; i++) stream.Send(i);
        stream.Fail(new InvalidOperationException(message));
    }

    // Interface methods have no Cx: a call to itself gets one.
    readonly List<Fwd<int>> _subscribers = new();

    public void Subscribe(Fwd<int> items)
    {
        items.Send(1);
        _subscribers.Add(items);
    }

    public void Stop() => self.Call(static (a, cx) => cx.Stop());

    // Rets stored inside a list are not seen by the runtime's holders: answer them on the way out.
    public void Dispose()
    {
        foreach (Ret<int> r in _held) r.Dispose();
    }
}

public sealed class Echo : IEcho
{
    public void Int(int v, Ret<int> back) => back.Answer(v);
    public void Long(long v, Ret<long> back) => back.Answer(v);
    public void Double(double v, Ret<double> back) => back.Answer(v);
    public void Text(string? v, Ret<string?> back) => back.Answer(v);
    public void Bytes(byte[]? v, Ret<byte[]?> back) => back.Answer(v);
    public void Colour(Colour v, Ret<Colour> back) => back.Answer(v);
    public void All(Everything v, Ret<Everything> back) => back.Answer(v);
    public void Many(int a, string b, Inner c, Ret<string> back) => back.Answer($"{a}/{b}/{c.X}/{c.Label}");
    public void Versioned(int a, Ret<string> back, string suffix = "none") => back.Answer($"{a}:{suffix}");
}
