using System.Net.Sockets;
using Npgsql;

namespace Contoso.Loyalty.Api.Infrastructure;

public static class DbWait
{
    public static async Task UntilReachableAsync(string connectionString, TimeSpan timeout)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(csb.Host!, csb.Port);
                Console.WriteLine($"{csb.Host}:{csb.Port} is reachable");
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
            }
        }
    }
}

public sealed class LedgerConnectionFactory(string connectionString)
{
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        return conn;
    }
}
