using System.Diagnostics;
using Stakker.Internal;

namespace Stakker;

/// <summary>State shared explicitly between actors of one Core, reached only through the runtime</summary>
/// <remarks>
/// <para>This breaks the actor model on purpose, for data several actors read and write (a cache, a
/// registry); use it sparingly. Access needs the Core or a handler's <see cref="Cx{T}"/>, which
/// proves the caller is on the Core's thread, so no lock is needed. <see cref="Rw(Core)"/> returns a
/// <c>ref</c> that cannot be stored past the statement that uses it.</para>
/// <para>Each <see cref="Share{T}"/> object is one strong reference: <see cref="Clone"/> makes
/// another, <see cref="Dispose"/> gives one up. When the last is disposed the value is released
/// (and disposed if it is <see cref="IDisposable"/>), and every <see cref="ShareWeak{T}"/> stops
/// upgrading, deterministically rather than at a garbage collection.</para>
/// </remarks>
[DebuggerDisplay("Share<{typeof(T).Name,nq}> (strong {StrongCount})")]
public sealed class Share<T> : IDisposable
{
    readonly ShareBox<T> _box;
    bool _disposed;

    /// <summary>Shares <paramref name="value"/> among the actors of <paramref name="core"/></summary>
    public Share(Core core, T value)
    {
        ArgumentNullException.ThrowIfNull(core);
        core.CheckThread();
        _box = new ShareBox<T>(core, value);
        _box.Strong = 1;
    }

    internal Share(ShareBox<T> box)
    {
        _box = box;
        box.Strong++;
    }

    /// <summary>Read access to the value</summary>
    public ref readonly T Ro(Core core) => ref Access(core);

    /// <summary>Read access from inside a handler</summary>
    public ref readonly T Ro<TActor>(Cx<TActor> cx) where TActor : class => ref Access(cx.Core);

    /// <summary>Read-write access to the value</summary>
    public ref T Rw(Core core) => ref Access(core);

    /// <summary>Read-write access from inside a handler</summary>
    public ref T Rw<TActor>(Cx<TActor> cx) where TActor : class => ref Access(cx.Core);

    ref T Access(Core core)
    {
        ArgumentNullException.ThrowIfNull(core);
        if (!ReferenceEquals(core, _box.Core)) ThrowShare("belongs to another Core");
        core.CheckThread();
        if (_disposed) ThrowShare("was disposed");
        return ref _box.Value;
    }

    /// <summary>Another strong reference to the same value</summary>
    public Share<T> Clone()
    {
        _box.Core.CheckThread();
        if (_disposed) ThrowShare("was disposed");
        return new Share<T>(_box);
    }

    /// <summary>A weak reference: upgrades while any strong reference remains</summary>
    public ShareWeak<T> Downgrade()
    {
        _box.Core.CheckThread();
        if (_disposed) ThrowShare("was disposed");
        _box.Weak++;
        return new ShareWeak<T>(_box);
    }

    /// <summary>Strong references remaining</summary>
    public int StrongCount => _box.Strong;

    /// <summary>Weak references made and not disposed</summary>
    public int WeakCount => _box.Weak;

    /// <summary>Gives up this strong reference; the last one releases the value</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _box.Core.CheckThread();
        _disposed = true;
        _box.ReleaseStrong();
    }

    static void ThrowShare(string what) => throw new InvalidOperationException(
        $"Share<{typeof(T).Name}> {what}: shared state is reached only through its own Core, while a strong reference is held.");
}

/// <summary>A weak reference to a <see cref="Share{T}"/>: does not keep the value</summary>
public sealed class ShareWeak<T> : IDisposable
{
    readonly ShareBox<T> _box;
    bool _disposed;

    internal ShareWeak(ShareBox<T> box) => _box = box;

    /// <summary>A new strong reference if the value is still shared</summary>
    public bool TryUpgrade([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Share<T>? share)
    {
        _box.Core.CheckThread();
        share = !_disposed && _box.Strong > 0 ? new Share<T>(_box) : null;
        return share is not null;
    }

    /// <summary>Strong references remaining (0 once the value was released)</summary>
    public int StrongCount => _box.Strong;

    /// <summary>Weak references made and not disposed</summary>
    public int WeakCount => _box.Weak;

    /// <summary>Gives up this weak reference</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _box.Core.CheckThread();
        _disposed = true;
        _box.Weak--;
    }
}

/// <summary>The shared value and its counts; Core thread only</summary>
internal sealed class ShareBox<T>(Core core, T value)
{
    internal readonly Core Core = core;
    internal T Value = value;
    internal int Strong;
    internal int Weak;

    internal void ReleaseStrong()
    {
        if (--Strong > 0) return;
        T v = Value;
        Value = default!;
        (v as IDisposable)?.Dispose();
    }
}
