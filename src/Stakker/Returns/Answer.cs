using System.Diagnostics.CodeAnalysis;

namespace Stakker;

/// <summary>What a <see cref="Ret{T}"/> delivers: a value, or "no value" if it could not be answered</summary>
/// <remarks>
/// <para>"No value" means the request was dropped: the actor holding the Ret ended, the call carrying it
/// went to an ended actor, or the Ret was disposed unanswered. It is a separate flag, so an answer of
/// <c>default(T)</c> (0, false, null) is never mistaken for it.</para>
/// <para>A "no value" may say why (<see cref="Cause"/>): a Ret answered across the network that was
/// given up is <see cref="StopKind.Lost"/> (docs/remote.md). A local "no value" carries no cause.</para>
/// </remarks>
public readonly partial struct Answer<T>
{
    readonly T _value;
    // AnswerMark.Value for a value; otherwise the cause of "no value" (a StopCause, typed object here
    // so Returns stays below Actors, where Cause is read), or null. One field for both keeps the
    // struct as small as a value and a flag.
    readonly object? _state;

    /// <summary>An answer carrying <paramref name="value"/></summary>
    public Answer(T value)
    {
        _value = value;
        _state = AnswerMark.Value;
    }

    Answer(object cause, bool noValue)
    {
        _ = noValue;
        _value = default!;
        _state = cause;
    }

    /// <summary>"No value" carrying <paramref name="cause"/> (a <c>StopCause</c>)</summary>
    internal static Answer<T> NoneWith(object cause) => new(cause, true);

    /// <summary>The "no value" answer</summary>
    public static Answer<T> None => default;

    /// <summary>True if the Ret was answered with a value</summary>
    public bool HasValue => ReferenceEquals(_state, AnswerMark.Value);

    /// <summary>The value; throws <see cref="ActorFail"/> for "no value"</summary>
    public T Value => HasValue ? _value : throw new ActorFail();

    /// <summary>Gets the value if there is one</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return HasValue;
    }

    /// <summary>The value, or <paramref name="fallback"/> for "no value"</summary>
    public T GetValueOrDefault(T fallback) => HasValue ? _value : fallback;

    /// <summary>The value, or "(no value)"</summary>
    public override string ToString() => HasValue ? _value?.ToString() ?? "" : _state is { } c ? "(no value: " + c + ")" : "(no value)";
}

/// <summary>The mark an <see cref="Answer{T}"/> with a value holds in place of a cause</summary>
internal static class AnswerMark
{
    internal static readonly object Value = new();
}

/// <summary>Raised where a result was expected but the actor that owed it ended or dropped the request</summary>
public sealed class ActorFail : Exception
{
    /// <summary>Creates the exception with the standard message</summary>
    public ActorFail() : base("No result: the actor that held the Ret ended, or the request was dropped, before it was answered.") { }

    /// <summary>Creates the exception with a message</summary>
    public ActorFail(string message) : base(message) { }
}
