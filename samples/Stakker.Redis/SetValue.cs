namespace Stakker.Redis;

/// <summary>A Redis set of byte strings</summary>
internal sealed class SetValue() : HashSet<byte[]>(ByteKeyComparer.Instance);
