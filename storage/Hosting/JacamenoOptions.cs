using Microsoft.Extensions.Options;

namespace Jacameno.Hosting;

public enum PlatformMode
{
    /// <summary>One process: a co-hosted silo, SQLite and a blob folder under the data directory.</summary>
    Embedded,

    /// <summary>Silo processes on PostgreSQL, Redis and S3; frontends are Orleans clients.</summary>
    Cluster,
}

/// <summary>The platform's settings, section <c>Jacameno</c>.</summary>
public sealed class JacamenoOptions
{
    public const string SectionName = "Jacameno";

    /// <summary>Embedded (default) or Cluster.</summary>
    public PlatformMode Mode { get; set; } = PlatformMode.Embedded;

    /// <summary>Where embedded mode keeps its SQLite file, blobs and keys. Default <c>data</c> (relative to the working directory).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Orleans cluster and service ids; silos and clients of one deployment share them. Default <c>jacameno</c>.</summary>
    public string ClusterId { get; set; } = "jacameno";

    /// <summary>The address users reach the site at, for links in mails. Default <c>http://localhost:5080</c>.</summary>
    public Uri PublicUrl { get; set; } = new("http://localhost:5080");

    public SiloOptions Silo { get; set; } = new();

    /// <summary>
    /// Orleans' connections on Kestrel's socket transport with inline scheduling (default true), which saves thread
    /// hand-offs on every grain call; false keeps Orleans' own transport (for when an Orleans upgrade changes how
    /// the transport is registered and the replacement refuses to start).
    /// </summary>
    public bool InlineSockets { get; set; } = true;

    public S3Options S3 { get; set; } = new();

    public string DataPath(params string[] parts) => Path.GetFullPath(Path.Combine([DataDirectory, .. parts]));
}

public sealed class SiloOptions
{
    /// <summary><c>true</c>, <c>false</c> (default) or <c>auto</c> (true when an NVIDIA GPU is found).</summary>
    public string Gpu { get; set; } = "false";

    /// <summary>
    /// Silo-to-silo port. Default 11111 in cluster mode; in embedded mode nothing outside the process talks to
    /// the silo, so it takes a free loopback port unless this is set.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>Client gateway port. Default 30000 in cluster mode; embedded mode opens none unless this is set.</summary>
    public int? GatewayPort { get; set; }

    /// <summary>The silo-to-silo port this mode uses when <see cref="Port"/> is not set.</summary>
    public int PortFor(PlatformMode mode) => Port ?? (mode == PlatformMode.Cluster ? 11111 : FreeLoopbackPort());

    /// <summary>The gateway port this mode uses when <see cref="GatewayPort"/> is not set (0: none).</summary>
    public int GatewayPortFor(PlatformMode mode) => GatewayPort ?? (mode == PlatformMode.Cluster ? 30000 : 0);

    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The address other silos reach this one at (cluster mode). Default: loopback.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Running as a Kubernetes pod (cluster mode): the silo takes its address and name from the pod (POD_IP, POD_NAME,
    /// POD_NAMESPACE) and removes silos whose pods are gone from the membership (deploy/kubernetes). Default false.
    /// </summary>
    public bool Kubernetes { get; set; }
}

/// <summary>The S3 (or S3-compatible) blob store of cluster mode.</summary>
public sealed class S3Options
{
    /// <summary>Endpoint of an S3-compatible server (MinIO, s3rver); leave empty for AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Region, also used to sign requests to S3-compatible servers. Default <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Bucket for every blob. Default <c>jacameno</c>.</summary>
    public string Bucket { get; set; } = "jacameno";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (bucket in the path), which most S3-compatible servers need. Default true.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Size of one multipart upload part; the most an upload holds in memory. Default 8 MiB (S3 minimum 5 MiB).</summary>
    public int PartSizeBytes { get; set; } = 8 * 1024 * 1024;
}

public sealed class JacamenoOptionsValidator : IValidateOptions<JacamenoOptions>
{
    public ValidateOptionsResult Validate(string? name, JacamenoOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Jacameno:DataDirectory must be set.");
        }

        if (options.Silo.Gpu is not ("true" or "false" or "auto") && !bool.TryParse(options.Silo.Gpu, out _))
        {
            errors.Add("Jacameno:Silo:Gpu must be true, false or auto.");
        }

        if (options.S3.PartSizeBytes < 5 * 1024 * 1024)
        {
            errors.Add("Jacameno:S3:PartSizeBytes must be at least 5 MiB (the S3 minimum part size).");
        }

        if (options.Mode == PlatformMode.Cluster && string.IsNullOrWhiteSpace(options.S3.Bucket))
        {
            errors.Add("Jacameno:S3:Bucket must be set in cluster mode.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
