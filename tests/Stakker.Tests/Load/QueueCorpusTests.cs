using System.Globalization;

namespace Stakker.Tests.Load;

/// <summary>stakker.md 53: random calls with payloads of many sizes, interleaved with runs, run in submission order intact</summary>
public class QueueCorpusTests
{
    public readonly record struct Big(long A, long B, long C, long D, long E, long F, long G, long H)
    {
        public override string ToString() => string.Join('.', A, B, C, D, E, F, G, H);
    }

    sealed class Recorder(string name, List<string> log)
    {
        void Add(string s) => log.Add(name + ":" + s);
        public void Zero(Cx<Recorder> cx) => Add("zero");
        public void U8(Cx<Recorder> cx, byte v) => Add("u8 " + v);
        public void I32(Cx<Recorder> cx, int v) => Add("i32 " + v);
        public void I64(Cx<Recorder> cx, long v) => Add("i64 " + v);
        public void Id(Cx<Recorder> cx, Guid v) => Add("guid " + v);
        public void Wide(Cx<Recorder> cx, Big v) => Add("big " + v);
        public void Text(Cx<Recorder> cx, string v) => Add("str " + v);
        public void Shorts(Cx<Recorder> cx, ushort[] v) => Add("u16[] " + string.Join(',', v));
        public void Pair(Cx<Recorder> cx, int a, long b) => Add("pair " + a + " " + b);
        public void Triple(Cx<Recorder> cx, byte a, Guid b, string c) => Add("triple " + a + " " + b + " " + c);
        public void Quad(Cx<Recorder> cx, int a, long b, short c, Big d) => Add("quad " + a + " " + b + " " + c + " " + d);
        public void Tuple(Cx<Recorder> cx, (int, decimal, char) v) => Add("tuple " + v);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 20)]
    [InlineData(3, 200)]
    [InlineData(4, 5_000)]
    [InlineData(5, 1_000_000)]
    public void Call_RandomPayloadsInterleavedWithRuns_RunInSubmissionOrderWithPayloadsIntact(int seed, int meanBatch)
    {
        var rnd = new Random(seed);
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var expected = new List<string>();
        var actors = new[] { "a", "b", "c" }
            .Select(n => core.Spawn<Recorder, string, List<string>>(static (cx, n, l) => new Recorder(n, l), n, log, Ret.Nop<StopCause>()))
            .ToArray();
        int runs = 0;
        for (int i = 0; i < 20_000; i++)
        {
            int which = rnd.Next(actors.Length);
            Actor<Recorder> r = actors[which];
            string p = "abc"[which] + ":";
            switch (rnd.Next(13))
            {
                case 0:
                    r.Call(static (a, cx) => a.Zero(cx));
                    expected.Add(p + "zero");
                    break;
                case 1:
                {
                    byte v = (byte)rnd.Next(256);
                    r.Call(static (a, cx, v) => a.U8(cx, v), v);
                    expected.Add(p + "u8 " + v);
                    break;
                }
                case 2:
                {
                    int v = rnd.Next(int.MinValue, int.MaxValue);
                    r.Call(static (a, cx, v) => a.I32(cx, v), v);
                    expected.Add(p + "i32 " + v);
                    break;
                }
                case 3:
                {
                    long v = rnd.NextInt64(long.MinValue, long.MaxValue);
                    r.Call(static (a, cx, v) => a.I64(cx, v), v);
                    expected.Add(p + "i64 " + v);
                    break;
                }
                case 4:
                {
                    var v = NewGuid(rnd);
                    r.Call(static (a, cx, v) => a.Id(cx, v), v);
                    expected.Add(p + "guid " + v);
                    break;
                }
                case 5:
                {
                    var v = NewBig(rnd);
                    r.Call(static (a, cx, v) => a.Wide(cx, v), v);
                    expected.Add(p + "big " + v);
                    break;
                }
                case 6:
                {
                    string v = new string((char)('a' + rnd.Next(26)), rnd.Next(40));
                    r.Call(static (a, cx, v) => a.Text(cx, v), v);
                    expected.Add(p + "str " + v);
                    break;
                }
                case 7:
                {
                    var v = new ushort[rnd.Next(16)];
                    for (int j = 0; j < v.Length; j++) v[j] = (ushort)rnd.Next(65536);
                    r.Call(static (a, cx, v) => a.Shorts(cx, v), v);
                    expected.Add(p + "u16[] " + string.Join(',', v));
                    break;
                }
                case 8:
                {
                    int x = rnd.Next();
                    long y = rnd.NextInt64();
                    r.Call(static (a, cx, x, y) => a.Pair(cx, x, y), x, y);
                    expected.Add(p + "pair " + x + " " + y);
                    break;
                }
                case 9:
                {
                    byte x = (byte)rnd.Next(256);
                    var y = NewGuid(rnd);
                    string z = rnd.Next().ToString(CultureInfo.InvariantCulture);
                    r.Call(static (a, cx, x, y, z) => a.Triple(cx, x, y, z), x, y, z);
                    expected.Add(p + "triple " + x + " " + y + " " + z);
                    break;
                }
                case 10:
                {
                    int x = rnd.Next();
                    long y = rnd.NextInt64();
                    short z = (short)rnd.Next(short.MinValue, short.MaxValue);
                    var w = NewBig(rnd);
                    r.Call(static (a, cx, x, y, z, w) => a.Quad(cx, x, y, z, w), x, y, z, w);
                    expected.Add(p + "quad " + x + " " + y + " " + z + " " + w);
                    break;
                }
                case 11:
                {
                    var v = (rnd.Next(), (decimal)rnd.NextDouble(), (char)('A' + rnd.Next(26)));
                    r.Call(static (a, cx, v) => a.Tuple(cx, v), v);
                    expected.Add(p + "tuple " + v);
                    break;
                }
                default:
                {
                    int v = rnd.Next();
                    core.Defer(static x => x.log.Add("defer:" + x.v), (log, v));
                    expected.Add("defer:" + v);
                    break;
                }
            }
            if (rnd.Next(meanBatch) == 0)
            {
                core.Run(core.Now, false);
                runs++;
                Assert.Equal(expected.Count, log.Count);   // a run drains everything submitted so far
            }
        }
        core.Run(core.Now, false);
        Assert.Equal(expected, log);
        foreach (var a in actors) a.Dispose();
    }

    static Guid NewGuid(Random rnd)
    {
        Span<byte> b = stackalloc byte[16];
        rnd.NextBytes(b);
        return new Guid(b);
    }

    static Big NewBig(Random rnd) => new(rnd.NextInt64(), rnd.NextInt64(), rnd.NextInt64(), rnd.NextInt64(),
        rnd.NextInt64(), rnd.NextInt64(), rnd.NextInt64(), rnd.NextInt64());
}
