using System.Net;
using System.Runtime.InteropServices;

namespace Stakker.IO.Tests;

// A Core's socket backend is chosen once: by TcpReactor.TryEnable before any socket opens, or as
// the SocketAsyncEventArgs default by the first socket.
public sealed class BackendChoiceTests
{
    static bool ReactorSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [Fact]
    public void AskingWhetherTheReactorIsOn_DoesNotChooseTheBackend()
    {
        var core = new Core(Instant.Zero);
        Assert.False(TcpReactor.IsEnabled(core));
        Assert.Equal(ReactorSupported, TcpReactor.TryEnable(core));
        Assert.Equal(ReactorSupported, TcpReactor.IsEnabled(core));
        Assert.Equal(ReactorSupported, TcpReactor.TryEnable(core));   // asking again keeps it
    }

    [Fact]
    public void EnablingTheReactorAfterAListenerOpened_IsRefused()
    {
        var core = new Core(Instant.Zero);
        using var acceptor = TcpAcceptor.Listen(core, new IPEndPoint(IPAddress.Loopback, 0), Fwd.From<TcpIncoming>(core, static inc => inc.Dispose()));
        if (ReactorSupported)
        {
            var ex = Assert.Throws<InvalidOperationException>(() => TcpReactor.TryEnable(core));
            Assert.Contains("before the Core opens its first socket", ex.Message);
        }
        else Assert.False(TcpReactor.TryEnable(core));
        Assert.False(TcpReactor.IsEnabled(core));
    }
}
