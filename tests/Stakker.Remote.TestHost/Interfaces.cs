using MemoryPack;
using Stakker;
using Stakker.Remote;

namespace Stakker.Remote.TestHost;

[RemoteActor]
public interface ICounter
{
    void Add(int n);
    void Get(Ret<long> total);
    /// <summary>Appends to the log of values seen, in arrival order (order checks)</summary>
    void Append(int sender, int seq);
    void Log(Ret<List<int>> seqs);
    void Who(Ret<string> id);
    /// <summary>Drops the Ret unanswered while staying alive</summary>
    void Drop(Ret<int> ret);
    /// <summary>Keeps the Ret and never answers it</summary>
    void Hold(Ret<int> ret);
    void Count(int upTo, Fwd<int> items);
    void FailAfter(int items, string message, Fwd<int> stream);
    /// <summary>Sends one item and keeps the stream open, never ending it</summary>
    void Subscribe(Fwd<int> items);
    void Stop();
}

public enum Colour { Red, Green, Blue = 7 }

[MemoryPackable]
public partial record Inner(int X, string? Label);

[MemoryPackable]
public partial record Everything(
    bool B, byte U8, sbyte I8, short I16, ushort U16, int I32, uint U32, long I64, ulong U64,
    float F32, double F64, decimal Dec, char Ch, string? Text, byte[]? Bytes, int[]? Ints,
    List<string>? Names, Dictionary<string, int>? Map, Guid Id, DateTime When, TimeSpan Span,
    DateTimeOffset Offset, Colour Colour, int? Maybe, Inner? Inner, (int, string) Pair);

[RemoteActor]
public interface IEcho
{
    void Int(int v, Ret<int> back);
    void Long(long v, Ret<long> back);
    void Double(double v, Ret<double> back);
    void Text(string? v, Ret<string?> back);
    void Bytes(byte[]? v, Ret<byte[]?> back);
    void Colour(Colour v, Ret<Colour> back);
    void All(Everything v, Ret<Everything> back);
    void Many(int a, string b, Inner c, Ret<string> back);
    /// <summary>A method the newer interface grew an argument on (versioning test)</summary>
    void Versioned(int a, Ret<string> back, string suffix = "none");
}
