using Jacameno.Storage.Blobs;
using Jacameno.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jacameno.Hosting;

/// <summary>Readiness of the cluster's stores: PostgreSQL answers a query, the blob store answers a lookup.</summary>
public static class StoreHealthChecks
{
    public static IHealthChecksBuilder AddJacamenoStoreChecks(this IHealthChecksBuilder health, params string[] tags) => health
        .AddCheck<PostgresHealthCheck>("postgres", tags: tags)
        .AddCheck<BlobStoreHealthCheck>("s3", tags: tags);

    private sealed class PostgresHealthCheck(PostgresDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = database.DataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", ex);
            }
        }
    }

    private sealed class BlobStoreHealthCheck(IBlobStore blobs) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await blobs.ExistsAsync("health/probe", cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("The blob store does not answer.", ex);
            }
        }
    }
}
