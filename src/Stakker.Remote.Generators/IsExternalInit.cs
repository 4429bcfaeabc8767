namespace System.Runtime.CompilerServices;

// Records' init accessors on netstandard2.0, which the compiler loads generators on.
internal static class IsExternalInit { }
