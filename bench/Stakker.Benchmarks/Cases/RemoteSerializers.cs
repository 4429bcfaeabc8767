using System.Buffers;
using BenchmarkDotNet.Attributes;
using MemoryPack;
using MessagePack;

namespace Stakker.Benchmarks;

/// <summary>The remote argument shapes written into a reused buffer and read back: MemoryPack 1.22
/// against MessagePack 2.5 (decision 083); figures per value, write plus read</summary>
/// <remarks>
/// Shapes as remote calls carry them: an int, a 24-character string, a small record (an int and a
/// string), a record of 12 mixed fields with a short list, and a 1 KiB byte array. Each benchmark
/// writes the value into an <see cref="ArrayBufferWriter{T}"/> that is cleared and reused (as the
/// node's frame buffer is), reads it back from the written span, and checks one field.
/// MessagePack uses its standard resolver (dynamic code for the records: it is not AOT-safe without
/// its 3.x source generator, which is one reason it lost; this measures its best case).
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RemoteSerializers
{
    readonly ArrayBufferWriter<byte> _buffer = new(4096);
    readonly SmallArg _small = new() { X = 42, Label = "the answer" };
    readonly MixedArg _mixed = new()
    {
        Id = 7, Count = 123456789012, Price = 19.99m, Ratio = 0.25, Flag = true, Name = "order-42",
        When = new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc), Key = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"),
        Tags = ["a", "bb", "ccc"], Kind = 3, Small = 5, Note = null,
    };
    readonly byte[] _bytes = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
    const string Text = "user:42:session:abcdefgh";

    T MemoryPackRoundTrip<T>(T value)
    {
        _buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_buffer, value);
        T? back = default;
        MemoryPackSerializer.Deserialize(_buffer.WrittenSpan, ref back);
        return back!;
    }

    T MessagePackRoundTrip<T>(T value)
    {
        _buffer.ResetWrittenCount();
        MessagePackSerializer.Serialize(_buffer, value);
        return MessagePackSerializer.Deserialize<T>(_buffer.WrittenMemory);
    }

    [Benchmark(Baseline = true)] [BenchmarkCategory("int")] public int MemoryPack_Int() => MemoryPackRoundTrip(12345);
    [Benchmark] [BenchmarkCategory("int")] public int MessagePack_Int() => MessagePackRoundTrip(12345);

    [Benchmark(Baseline = true)] [BenchmarkCategory("string")] public int MemoryPack_String() => MemoryPackRoundTrip(Text).Length;
    [Benchmark] [BenchmarkCategory("string")] public int MessagePack_String() => MessagePackRoundTrip(Text).Length;

    [Benchmark(Baseline = true)] [BenchmarkCategory("small")] public int MemoryPack_Small() => MemoryPackRoundTrip(_small).X;
    [Benchmark] [BenchmarkCategory("small")] public int MessagePack_Small() => MessagePackRoundTrip(_small).X;

    [Benchmark(Baseline = true)] [BenchmarkCategory("mixed")] public long MemoryPack_Mixed() => MemoryPackRoundTrip(_mixed).Count;
    [Benchmark] [BenchmarkCategory("mixed")] public long MessagePack_Mixed() => MessagePackRoundTrip(_mixed).Count;

    [Benchmark(Baseline = true)] [BenchmarkCategory("bytes")] public int MemoryPack_Bytes1K() => MemoryPackRoundTrip(_bytes).Length;
    [Benchmark] [BenchmarkCategory("bytes")] public int MessagePack_Bytes1K() => MessagePackRoundTrip(_bytes).Length;
}

[MemoryPackable]
[MessagePackObject]
public sealed partial class SmallArg
{
    [Key(0)] public int X { get; set; }
    [Key(1)] public string? Label { get; set; }
}

[MemoryPackable]
[MessagePackObject]
public sealed partial class MixedArg
{
    [Key(0)] public int Id { get; set; }
    [Key(1)] public long Count { get; set; }
    [Key(2)] public decimal Price { get; set; }
    [Key(3)] public double Ratio { get; set; }
    [Key(4)] public bool Flag { get; set; }
    [Key(5)] public string? Name { get; set; }
    [Key(6)] public DateTime When { get; set; }
    [Key(7)] public Guid Key { get; set; }
    [Key(8)] public List<string>? Tags { get; set; }
    [Key(9)] public int Kind { get; set; }
    [Key(10)] public short Small { get; set; }
    [Key(11)] public string? Note { get; set; }
}
