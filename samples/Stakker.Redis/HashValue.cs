namespace Stakker.Redis;

/// <summary>A Redis hash: field → value</summary>
internal sealed class HashValue() : Dictionary<byte[], byte[]>(ByteKeyComparer.Instance);
