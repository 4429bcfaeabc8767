using System.Threading.Channels;

namespace Stakker.Docs.Tests.Async;

sealed class Document
{
    public string? Text { get; private set; }

    #region doc:async-spawn-task
    public void Load(Cx<Document> cx, string path) =>
        cx.SpawnTask(co => File.ReadAllTextAsync(path, co.Token),     // a coroutine of this actor, cancelled with it
                     cx.RetSome<string>(static (d, cx, text) => d.Loaded(cx, text)));
    #endregion

    void Loaded(Cx<Document> cx, string text) => Text = text;
}

sealed class Worker(bool answers)
{
    public void Compute(Cx<Worker> cx, Ret<int> ret)
    {
        if (answers) ret.Answer(42);
        else ret.Dispose();
    }
}

sealed class Store
{
    public int Asked { get; private set; }

    public void Next(Cx<Store> cx, Ret<int> ret) => ret.Answer(++Asked);
}

sealed class Account
{
    int _balance = 50;

    public void Balance(Cx<Account> cx, Ret<int> ret) => ret.Answer(_balance);

    public void Deposit(Cx<Account> cx, int amount, Ret<int> ret) => ret.Answer(_balance += amount);
}

sealed record Quote(string Symbol, decimal Price);

sealed class QuoteBoard
{
    public List<Quote> Quotes { get; } = [];
    public string? Ended { get; private set; }

    #region doc:async-spawn-stream
    public void Subscribe(Cx<QuoteBoard> cx, ChannelReader<Quote> feed)
    {
        var fwd = cx.Fwd<Quote>(static (b, cx, q) => b.OnQuote(cx, q), static (b, cx, end) => b.OnEnd(cx, end));
        cx.SpawnStream(feed.ReadAllAsync(), fwd);      // stops when this actor ends
    }
    #endregion

    void OnQuote(Cx<QuoteBoard> cx, Quote quote) => Quotes.Add(quote);

    void OnEnd(Cx<QuoteBoard> cx, StreamEnd end) => Ended = end.IsFailure ? "failed: " + end.Error!.Message : "normal";
}

sealed record Row(int Number);

/// <summary>Sends rows in batches of ten when asked, 25 in all, then ends the stream</summary>
sealed class RowProducer
{
    const int Total = 25, Batch = 10;
    Fwd<Row>? _sink;
    int _sent;

    public bool ConsumerLeft { get; private set; }
    public int Requests { get; private set; }

    public void Attach(Cx<RowProducer> cx, Fwd<Row> sink) => _sink = sink;

    public void SendBatch(Cx<RowProducer> cx)
    {
        Requests++;
        if (_sink is null || _sink.IsEnded) return;
        for (int i = 0; i < Batch && _sent < Total; i++) _sink.Send(new Row(++_sent));
        if (_sent == Total) _sink.End();
    }

    public void ConsumerGone(Cx<RowProducer> cx) => ConsumerLeft = true;
}

/// <summary>Stands in for HttpClient: answers after 100 ms of the Core's clock</summary>
sealed class FakeHttp(Core core)
{
    public async Task<string> GetStringAsync(string url, CancellationToken cancellationToken)
    {
        await core.Delay(TimeSpan.FromMilliseconds(100));
        return $"{{\"from\":\"{url}\"}}";
    }
}

sealed class Cache(FakeHttp http)
{
    public FakeHttp Http { get; } = http;
    public string Url => "https://example.invalid/prices";
    public int Applied { get; private set; }

    public void Apply(string json) => Applied++;

    #region doc:async-coroutine
    public void Refresh(Cx<Cache> cx) =>
        _ = cx.StartAsync(static async co =>
        {
            string json = await co.State.Http.GetStringAsync(co.State.Url, co.Token);
            co.State.Apply(json);                      // back on the actor, between its other calls
            await co.Delay(TimeSpan.FromMinutes(5));   // pooled, on the Core's (virtual) clock
            co.This.Call(static (c, cx) => c.Refresh(cx));
        });
    #endregion
}
