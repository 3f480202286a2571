using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Jacameno.Tests;

/// <summary>
/// The real services scripts/test.sh starts (PostgreSQL, Redis, s3rver, an SMTP sink on 127.0.0.1), found through
/// environment variables. Missing variables fail the test with a message that says how to run it.
/// </summary>
public static class TestServices
{
    public static string Postgres => Require("JACAMENO_TEST_POSTGRES");

    public static string Redis => Require("JACAMENO_TEST_REDIS");

    public static string S3 => Require("JACAMENO_TEST_S3");

    /// <summary>The SMTP sink, <c>host:port</c>; what it receives lands in <see cref="Maildir"/>.</summary>
    public static string Smtp => Require("JACAMENO_TEST_SMTP");

    public static string Maildir => Require("JACAMENO_TEST_MAILDIR");

    /// <summary>A new, empty database on the test server, so each fixture starts clean.</summary>
    public static async Task<string> CreatePostgresDatabaseAsync()
    {
        var name = "jacameno_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// A port free now, for a server a test starts later. Taken below the kernel's ephemeral range (32768 and up):
    /// a port the kernel chose would be free again once released, and any outgoing connection (a relay's, a client's)
    /// could take it before the server binds it. Never the same one twice in a process.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            if (!HandedOut.TryAdd(port, true))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // in use: another
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>The checkout the tests run from (the folder holding Jacameno.sln), for files they check or hosts they start.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Jacameno.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Jacameno.sln not found above the test binaries " + AppContext.BaseDirectory);
    }

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "jacameno-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with scripts/test.sh, which starts the services they need.");
}
