namespace Stakker.Docs.Tests.Concepts;

#region doc:concepts-counter
sealed class Counter
{
    int _count;

    public void Add(Cx<Counter> cx, int n) => _count += n;

    public void Get(Cx<Counter> cx, Ret<int> ret) => ret.Answer(_count);
}
#endregion

#region doc:concepts-display
sealed class Display
{
    readonly Actor<Counter> _counter;
    public string Shown { get; private set; } = "";

    public Display(Cx<Display> cx, Actor<Counter> counter) => _counter = counter;

    public void Refresh(Cx<Display> cx) =>
        _counter.Call(static (c, cx, r) => c.Get(cx, r),
            cx.Ret<int>(static (d, cx, count) => d.Show(count)));

    void Show(Answer<int> count) => Shown = count.HasValue ? $"{count.Value} items" : "counter gone";
}
#endregion

#region doc:concepts-blinker
sealed class Blinker : IDisposable
{
    readonly List<string> _log;

    public Blinker(Cx<Blinker> cx, List<string> log)
    {
        _log = log;
        cx.After(TimeSpan.FromSeconds(1), static (b, cx) => b.Blink(cx));
    }

    void Blink(Cx<Blinker> cx)
    {
        _log.Add($"blink at {cx.Now}");
        if (_log.Count == 3) cx.Stop();
        else cx.After(TimeSpan.FromSeconds(1), static (b, cx) => b.Blink(cx));
    }

    public void Dispose() => _log.Add("disposed");
}
#endregion

#region doc:concepts-scoreboard
sealed class Player
{
    readonly Share<Dictionary<string, int>> _scores;
    readonly string _name;

    public Player(Share<Dictionary<string, int>> scores, string name) => (_scores, _name) = (scores, name);

    public void Scored(Cx<Player> cx, int points)
    {
        ref Dictionary<string, int> scores = ref _scores.Rw(cx);
        scores[_name] = scores.GetValueOrDefault(_name) + points;
    }
}
#endregion
