namespace Stakker.Redis;

/// <summary>Facts about the running server that INFO reports; lives on the server's Core thread</summary>
internal sealed class ServerInfo(int port)
{
    public int Port = port;
    public readonly DateTime Started = DateTime.UtcNow;
    public int ConnectedClients;
}
