using System.IO.Compression;
using System.Security.Cryptography;

namespace Stakker.Docs.Tests.Threads;

sealed class Shard
{
    static int s_touched;
    public static int Touched => Volatile.Read(ref s_touched);

    public void Touch(Cx<Shard> cx, string key) => Interlocked.Increment(ref s_touched);
}

#region doc:threads-piped-thread
sealed class Hasher
{
    readonly PipedThread<byte[], string> _worker;
    public List<string> Hashes { get; } = [];

    public Hasher(Cx<Hasher> cx) =>
        _worker = PipedThread<byte[], string>.Start(cx, static link =>
            {
                while (link.TryReceive(out byte[]? block))          // false once the actor ends
                    if (!link.Send(Convert.ToHexString(SHA256.HashData(block)))) return;
            },
            cx.Fwd<string>(static (h, cx, hash) => h.Hashed(cx, hash),
                           static (h, cx, end) => h.WorkerEnded(cx, end)));   // end or failure

    public void Hash(Cx<Hasher> cx, byte[] block) => _worker.Send(block);   // never blocks
    void Hashed(Cx<Hasher> cx, string hash) => Hashes.Add(hash);
    void WorkerEnded(Cx<Hasher> cx, StreamEnd end) { if (end.IsFailure) cx.Fail(end.Error!); }
}
#endregion

sealed class Archiver
{
    public byte[]? Stored { get; private set; }

    #region doc:threads-offload
    public void Compress(Cx<Archiver> cx, byte[] data) =>
        cx.Offload(static (d, ct) => Gzip(d, ct), data,
                   cx.RetSome<byte[]>(static (a, cx, zipped) => a.Store(cx, zipped)));
    #endregion

    void Store(Cx<Archiver> cx, byte[] zipped) => Stored = zipped;

    static byte[] Gzip(byte[] data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }
}
