using System.IO.Compression;
using System.Security.Cryptography;

namespace Stakker.Docs.Tests.Threads;

/// <summary>docs/threads.md, run</summary>
public class ThreadsTests
{
    static void RunUntil(Core core, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        core.Run(core.Now, idle: false);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            core.WaitForWake(TimeSpan.FromMilliseconds(100));
            core.Run(core.Now, idle: false);
        }
    }

    [Fact]
    public async Task ACallReachesTheShardOfItsKey()
    {
        int before = Shard.Touched;
        #region doc:threads-several-cores
        await using var set = new CoreSet(new CoreSetOptions { Count = Environment.ProcessorCount });
        CrossCoreActor<Shard>[] shards = new CrossCoreActor<Shard>[set.Count];
        for (int i = 0; i < set.Count; i++)
            shards[i] = await set.SpawnAsync<Shard>(i, static cx => new Shard());
        // From anywhere, including actors on other Cores: the same call syntax as a local actor.
        shards[set.CoreFor("user:42")].Call(static (s, cx, k) => s.Touch(cx, k), "user:42");
        await set.StopAsync();   // roots end, answers in flight arrive, then every Core closes
        #endregion
        Assert.Equal(before + 1, Shard.Touched);
        Assert.True(set.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public void APipedThreadHashesInOrder()
    {
        var core = new Core(Instant.Zero);
        using var hasher = core.Spawn<Hasher>(static cx => new Hasher(cx), Ret.Shutdown(core));
        byte[][] blocks = [[1, 2, 3], [4, 5], []];
        foreach (byte[] block in blocks) hasher.Call(static (h, cx, b) => h.Hash(cx, b), block);
        RunUntil(core, () => hasher.Actor.Query(static (h, cx) => h.Hashes.Count) == blocks.Length);
        Assert.Equal(blocks.Select(b => Convert.ToHexString(SHA256.HashData(b))),
            hasher.Actor.Query(static (h, cx) => h.Hashes.ToList()));
    }

    [Fact]
    public void OffloadedWorkAnswersOnTheCore()
    {
        var core = new Core(Instant.Zero);
        using var archiver = core.Spawn<Archiver>(static cx => new Archiver(), Ret.Shutdown(core));
        byte[] data = new byte[10_000];
        archiver.Call(static (a, cx, d) => a.Compress(cx, d), data);
        RunUntil(core, () => archiver.Actor.Query(static (a, cx) => a.Stored) is not null);
        byte[] zipped = archiver.Actor.Query(static (a, cx) => a.Stored)!;
        Assert.True(zipped.Length < data.Length);
        using var unzip = new GZipStream(new MemoryStream(zipped), CompressionMode.Decompress);
        var back = new MemoryStream();
        unzip.CopyTo(back);
        Assert.Equal(data, back.ToArray());
    }
}
