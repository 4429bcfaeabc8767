namespace Stakker.Docs.Tests.Cookbook;

public interface IWeatherApi
{
    Task<double> TemperatureAsync(string city, CancellationToken cancellationToken);
}

#region doc:cookbook-async-api
sealed class Weather
{
    readonly IWeatherApi _api;
    readonly Dictionary<string, double> _latest = [];

    public Weather(IWeatherApi api) => _api = api;

    public void Refresh(Cx<Weather> cx, string city) =>
        cx.SpawnTask(co => co.State._api.TemperatureAsync(city, co.Token),   // cancelled if this actor ends
            cx.RetSome<string, double>(city, static (w, cx, city, t) => w._latest[city] = t));

    public void Latest(Cx<Weather> cx, string city, Ret<double> ret)
    {
        if (_latest.TryGetValue(city, out double t)) ret.Answer(t);
        else ret.Dispose();                                                  // not known yet: "no value"
    }
}
#endregion

public class AsyncApiTests
{
    /// <summary>Answers after 200 ms of the Core's clock: the city's name length, in degrees</summary>
    sealed class SlowWeatherApi(Core core) : IWeatherApi
    {
        public async Task<double> TemperatureAsync(string city, CancellationToken cancellationToken)
        {
            await core.Delay(TimeSpan.FromMilliseconds(200));
            return city.Length;
        }
    }

    [Fact]
    public void TheActorServesCallsWhileTheRequestIsInFlight()
    {
        var core = new Core(Instant.Zero);
        using var weather = core.Spawn<Weather, IWeatherApi>(static (cx, api) => new Weather(api), new SlowWeatherApi(core), Ret.Shutdown(core));
        var answers = new List<string>();
        weather.Call(static (w, cx, c) => w.Refresh(cx, c), "Oslo");
        weather.Call(static (w, cx, c, r) => w.Latest(cx, c, r), "Oslo", Ret.From<double>(core, a => answers.Add(a.ToString())));
        core.Run(core.Now, idle: false);
        Assert.Equal(["(no value)"], answers);

        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(1));
        weather.Call(static (w, cx, c, r) => w.Latest(cx, c, r), "Oslo", Ret.From<double>(core, a => answers.Add(a.ToString())));
        core.Run(core.Now, idle: false);
        Assert.Equal(["(no value)", "4"], answers);
    }
}
