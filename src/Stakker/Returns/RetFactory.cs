using Stakker.Returns;
using Stakker.Internal;

namespace Stakker;

/// <summary>Makes <see cref="Ret{T}"/> end-points that are not actors (an end-point into an actor is made
/// with <see cref="Actor{T}.Ret{TValue}(ActorCall{T, Answer{TValue}})"/> or <c>cx.Ret</c>)</summary>
public static partial class Ret
{
    /// <summary>A Ret that calls <paramref name="callback"/> synchronously when answered or abandoned</summary>
    /// <remarks>For drivers and tests outside actors. The callback runs wherever the answer happens.</remarks>
    public static Ret<T> From<T>(Core core, Action<Answer<T>> callback)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(callback);
        var n = core.Pool.RentRet<RetToCallback<T>>(core);
        n.Fn = callback;
        return new Ret<T>(n);
    }

    /// <summary>A Ret that ignores its answer</summary>
    public static Ret<T> Nop<T>() => default;
}
