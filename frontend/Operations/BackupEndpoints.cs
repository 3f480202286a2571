using GraphQL.Types;
using Jacameno.Common;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.GraphQL;
using Jacameno.Hosting;

namespace Jacameno.Frontend.Operations;

/// <summary>Backups an admin starts while the platform runs (embedded mode); a cluster backs up its PostgreSQL and S3 (docs/operations.md#backups).</summary>
public sealed class BackupService(IServiceProvider services)
{
    public Task<BackupInfo> CreateAsync(CancellationToken cancellationToken) =>
        services.GetService<EmbeddedBackup>() is { } backup
            ? backup.CreateAsync(cancellationToken)
            : throw new DomainException(DomainErrorKind.Conflict,
                "A cluster keeps its data in PostgreSQL and S3: back them up with pg_dump and the bucket's own copies (docs/operations.md#backups).");
}

public static class BackupEndpoints
{
    public static IEndpointRouteBuilder MapBackupEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/backups", async (BackupService backups, CancellationToken cancellationToken) =>
            {
                var made = await backups.CreateAsync(cancellationToken);
                return TypedResults.Created($"/api/admin/backups/{made.Name}", made);
            })
            .WithTags("Admin").RequireAuthorization(Policies.Admin)
            .WithSummary("Embedded mode: backs up the running platform into data/backups/{time}/ (the SQLite file by its online backup API, the keys, the blobs); restore by putting that folder in place of the data directory. 409 in a cluster, or while another backup runs.");
        return app;
    }
}

public sealed class BackupGraphType : ObjectGraphType<BackupInfo>
{
    public BackupGraphType()
    {
        Name = "Backup";
        Field(b => b.Name);
        Field(b => b.Path).Description("Where it is on the server.");
        Field(b => b.CreatedAt);
        Field(b => b.Bytes);
        Field(b => b.Files);
    }
}

public sealed class BackupMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<BackupGraphType>>("createBackup")
            .Description("Admins, embedded mode: backs up the running platform (see POST /api/admin/backups).")
            .ResolveAsync(async c =>
            {
                c.AdminOnly();
                return await c.Service<BackupService>().CreateAsync(c.CancellationToken);
            });
}
