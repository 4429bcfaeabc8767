using System.Text;
using Stakker.Redis;

namespace Stakker.Redis.Tests;

// The sample's RESP parser and glob matcher on their own: no sockets, no Core.
public class RespParserTests
{
    static (ParseResult Result, int Consumed, string[] Args, string? Error) Parse(string input)
    {
        var p = new RespParser();
        var r = p.Parse(Encoding.Latin1.GetBytes(input), out int used);
        return (r, used, p.Args.Select(a => Encoding.Latin1.GetString(a)).ToArray(), p.Error);
    }

    [Fact]
    public void MultiBulk_Complete_ArgsAndConsumed()
    {
        var (r, used, args, _) = Parse("*2\r\n$3\r\nGET\r\n$1\r\nk\r\nextra");
        Assert.Equal(ParseResult.Command, r);
        Assert.Equal(["GET", "k"], args);
        Assert.Equal(20, used);
    }

    [Theory]
    [InlineData("*2\r\n$3\r\nGET\r\n$1\r\n")]
    [InlineData("*2\r\n$3\r\nGE")]
    [InlineData("*2")]
    [InlineData("PING")]
    public void Partial_IsIncomplete(string input) => Assert.Equal(ParseResult.Incomplete, Parse(input).Result);

    [Theory]
    [InlineData("*1\r\nx\r\n", "ERR Protocol error: expected '$', got 'x'")]
    [InlineData("*x\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n$x\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("set \"a\r\n", "ERR Protocol error: unbalanced quotes in request")]
    [InlineData("echo \"a\"b\r\n", "ERR Protocol error: unbalanced quotes in request")]
    public void Malformed_RedisError(string input, string error)
    {
        var (r, _, _, e) = Parse(input);
        Assert.Equal(ParseResult.Error, r);
        Assert.Equal(error, e);
    }

    [Fact]
    public void Inline_QuotesAndEscapes()
    {
        var (r, _, args, _) = Parse("set k \"a\\x41\\n b\" 'it\\'s'\r\n");
        Assert.Equal(ParseResult.Command, r);
        Assert.Equal(["set", "k", "aA\n b", "it's"], args);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("   \n")]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    public void EmptyFrames_Skipped(string input)
    {
        var (r, used, _, _) = Parse(input);
        Assert.Equal(ParseResult.Empty, r);
        Assert.Equal(input.Length, used);
    }

    [Fact]
    public void HugeBulk_ConsumesWhatItCan_AndReportsBytesNeeded()
    {
        var p = new RespParser();
        Assert.Equal(ParseResult.Incomplete, p.Parse("*2\r\n$3\r\nSET\r\n$5000000\r\nab"u8, out int used));
        Assert.Equal(13 + 10, used);
        Assert.Equal(5_000_000 + 2, p.NeedBytes);
    }

    [Fact]
    public void LargestBulk_IsAccepted_OneMore_IsNot()
    {
        var p = new RespParser();
        Assert.Equal(ParseResult.Incomplete, p.Parse("*1\r\n$536870912\r\n"u8, out _));
        Assert.Equal(536_870_912 + 2, p.NeedBytes);
        Assert.Equal(ParseResult.Error, new RespParser().Parse("*1\r\n$536870913\r\n"u8, out _));
    }

    [Fact]
    public void FedOneByteAtATime_GivesTheSameCommands()
    {
        byte[] input = Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n");
        var p = new RespParser();
        var commands = new List<string>();
        var pending = new List<byte>();
        foreach (byte b in input)
        {
            pending.Add(b);
            for (;;)
            {
                ParseResult r = p.Parse(pending.ToArray(), out int used);
                pending.RemoveRange(0, used);
                if (r == ParseResult.Command) commands.Add(string.Join(" ", p.Args.Select(a => Encoding.ASCII.GetString(a))));
                else break;
            }
        }
        Assert.Equal(["SET k hello", "PING"], commands);
        Assert.Empty(pending);
    }

    [Fact]
    public void CommandOverTheQueryLimit_IsTooLarge()
    {
        var p = new RespParser { MaxQueryBytes = 1000 };
        Assert.Equal(ParseResult.Incomplete, p.Parse("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n"u8, out int used));
        Assert.Equal(ParseResult.TooLarge, p.Parse("$2000\r\n"u8, out _));
    }

    [Theory]
    [InlineData("0", true, 0)]
    [InlineData("-12", true, -12)]
    [InlineData("9223372036854775807", true, long.MaxValue)]
    [InlineData("-9223372036854775808", true, long.MinValue)]
    [InlineData("9223372036854775808", false, 0)]
    [InlineData("012", false, 0)]
    [InlineData("+1", false, 0)]
    [InlineData(" 1", false, 0)]
    [InlineData("-0", false, 0)]
    [InlineData("", false, 0)]
    public void Integers_ParsedLikeRedis(string text, bool ok, long value)
    {
        Assert.Equal(ok, RespParser.TryParseLong(Encoding.ASCII.GetBytes(text), out long v));
        if (ok) Assert.Equal(value, v);
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h\\*llo", "h*llo", true)]
    [InlineData("news.*", "news.art", true)]
    [InlineData("news.*", "new", false)]
    [InlineData("*a*b", "xaxxbyb", true)]
    [InlineData("*a*b", "xaxxbyc", false)]
    [InlineData("a*", "a", true)]
    [InlineData("**", "", true)]
    [InlineData("?", "", false)]
    [InlineData("*[xy]z", "aaxbyz", true)]
    [InlineData("*\\*", "a*", true)]
    [InlineData("*\\*", "ab", false)]
    [InlineData("h[^e", "hx", true)]
    [InlineData("*aaab", "aaaaaab", true)]
    public void Glob_MatchesLikeRedis(string pattern, string text, bool match) =>
        Assert.Equal(match, Glob.IsMatch(Encoding.ASCII.GetBytes(pattern), Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Glob_PlantedPattern_IsNotExponential()
    {
        // Redis's own matcher backtracks on this; a naive recursive one takes minutes. Each call here
        // is O(pattern x text), so a thousand of them finish in a blink; the bound is only there to
        // turn a regression into a failure instead of a hung run.
        byte[] pattern = Encoding.ASCII.GetBytes("*a*a*a*a*a*a*a*ab");
        byte[] text = Encoding.ASCII.GetBytes(new string('a', 60));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++) Assert.False(Glob.IsMatch(pattern, text));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
