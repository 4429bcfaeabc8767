using System.Globalization;
using Xunit.Abstractions;

namespace Stakker.Redis.Tests.Fuzz;

/// <summary>The RESP parser fed seeded streams of well-formed, malformed, truncated, oversized and
/// binary frames, cut into chunks as a network would: what comes out must be what a correct server
/// makes of them, and must not depend on how the bytes were cut</summary>
/// <remarks>CI runs <see cref="CiSeeds"/> seeds; <c>STAKKER_LONG=1</c> runs <c>STAKKER_FUZZ_SEEDS</c>
/// (default 200,000). A failure names its seed; <c>STAKKER_FUZZ_SEED=n</c> runs that one alone.</remarks>
public class RespParserFuzzTests(ITestOutputHelper output)
{
    const int CiSeeds = 1_000;

    internal static IEnumerable<int> Seeds()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("STAKKER_FUZZ_SEED"), CultureInfo.InvariantCulture, out int one)) return [one];
        int n = CiSeeds;
        if (Environment.GetEnvironmentVariable("STAKKER_LONG") == "1")
            n = int.TryParse(Environment.GetEnvironmentVariable("STAKKER_FUZZ_SEEDS"), CultureInfo.InvariantCulture, out int s) ? s : 200_000;
        return Enumerable.Range(1, n);
    }

    static void Check(int seed, Action<RespFuzz> test)
    {
        try { test(new RespFuzz(seed)); }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"fuzz seed {seed} failed; replay with STAKKER_FUZZ_SEED={seed}\n{ex}");
        }
    }

    static ParserConnection Run(IEnumerable<ArraySegment<byte>> chunks)
    {
        var c = new ParserConnection();
        foreach (ArraySegment<byte> chunk in chunks) c.Feed(chunk);
        return c;
    }

    [Fact]
    public void Fuzz_KnownStreams_GiveExactlyTheExpectedCommandsAndError_HoweverCut()
    {
        long bytes = 0, commands = 0, errors = 0;
        foreach (int seed in Seeds())
        {
            Check(seed, fuzz =>
            {
                List<FuzzPiece> pieces = fuzz.Stream(fuzz.Random.Next(1, 30), validShare: 0.9);
                if (pieces.Exists(p => !p.Known)) pieces.RemoveAt(pieces.Count - 1);   // only predicted outcomes here
                byte[] stream = pieces.SelectMany(p => p.Bytes).ToArray();
                List<string> expected = ParserConnection.Expected(pieces);
                ParserConnection c = Run(fuzz.Chunks(stream));
                if (!c.Events.SequenceEqual(expected))
                    throw new FuzzFailure($"expected:\n{ParserConnection.Show(expected)}\ngot:\n{ParserConnection.Show(c.Events)}");
                bytes += stream.Length;
                commands += expected.Count(e => e.StartsWith("cmd", StringComparison.Ordinal));
                errors += c.Closed ? 1 : 0;
            });
        }
        output.WriteLine($"known streams: {bytes:N0} bytes, {commands:N0} commands, {errors:N0} protocol errors");
    }

    [Fact]
    public void Fuzz_TruncatedStreams_GiveTheCompleteCommandsAndWaitForTheRest()
    {
        foreach (int seed in Seeds())
        {
            Check(seed, fuzz =>
            {
                var pieces = new List<FuzzPiece>();
                int n = fuzz.Random.Next(1, 10);
                for (int i = 0; i < n; i++) pieces.Add(fuzz.Valid());
                byte[] stream = pieces.SelectMany(p => p.Bytes).ToArray();
                // Cut inside the last command: every command before it, and nothing else.
                int lastStart = stream.Length - pieces[^1].Bytes.Length;
                int cut = lastStart + fuzz.Random.Next(pieces[^1].Bytes.Length - 1);
                ParserConnection c = Run(fuzz.Chunks(stream[..cut]));
                List<string> expected = ParserConnection.Expected(pieces.Take(n - 1));
                if (c.Closed || !c.Events.SequenceEqual(expected))
                    throw new FuzzFailure($"cut at {cut} of {stream.Length}: expected {expected.Count} commands, got:\n{ParserConnection.Show(c.Events)}");
            });
        }
    }

    [Fact]
    public void Fuzz_MutatedStreams_SameOutcomeWholeOrByteByByte_AndBoundedInput()
    {
        long bytes = 0, closed = 0;
        foreach (int seed in Seeds())
        {
            Check(seed, fuzz =>
            {
                List<FuzzPiece> pieces = fuzz.Stream(fuzz.Random.Next(1, 20), validShare: 0.5);
                byte[] stream = pieces.SelectMany(p => p.Bytes).ToArray();
                ParserConnection whole = Run([stream]);
                ParserConnection cut = Run(fuzz.Chunks(stream));
                if (!whole.Events.SequenceEqual(cut.Events))
                    throw new FuzzFailure($"whole:\n{ParserConnection.Show(whole.Events)}\ncut:\n{ParserConnection.Show(cut.Events)}\ninput: {FuzzText.Preview(stream)}");
                // Up to the first piece whose outcome is not predicted, the events are the expected ones.
                int known = pieces.FindIndex(p => !p.Known);
                List<string> expected = ParserConnection.Expected(known < 0 ? pieces : pieces.Take(known));
                if (!cut.Events.Take(expected.Count).SequenceEqual(expected))
                    throw new FuzzFailure($"the well-formed prefix was not parsed as sent:\n{ParserConnection.Show(cut.Events)}");
                bytes += stream.Length;
                closed += cut.Closed ? 1 : 0;
            });
        }
        output.WriteLine($"mutated streams: {bytes:N0} bytes, {closed:N0} closed with an error");
    }
}
