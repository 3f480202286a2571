using System.Reflection;
using Jacameno.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jacameno.Grains.Tests;

/// <summary>
/// The inline transport replaces Orleans' own by the keys Orleans registers its transport under, which are Orleans
/// internals. These tests pin what those keys are today: an Orleans upgrade that changes them fails here, not in
/// production (where Jacameno:InlineSockets=false is the way back to Orleans' transport meanwhile).
/// </summary>
public sealed class InlineOrleansSocketsTests
{
    [Fact]
    public void ASilo_HasTheTransportKeysItReplaces()
    {
        var services = new ServiceCollection();
        services.AddOrleans(silo => silo.UseLocalhostClustering());
        Assert.Equal(
            ["IConnectionFactory SiloConnectionFactory.ServicesKey", "IConnectionListenerFactory GatewayConnectionListener.ServicesKey",
                "IConnectionListenerFactory SiloConnectionListener.ServicesKey"],
            Keys(services));
        AssertReplaced(services);
    }

    [Fact]
    public void AClient_HasTheTransportKeyItReplaces()
    {
        var services = new ServiceCollection();
        services.AddOrleansClient(client => client.UseLocalhostClustering());
        Assert.Equal(["IConnectionFactory ClientOutboundConnectionFactory.ServicesKey"], Keys(services));
        AssertReplaced(services);
    }

    private static string[] Keys(IServiceCollection services) => services
        .Where(d => d.IsKeyedService && (d.ServiceType == typeof(IConnectionFactory) || d.ServiceType == typeof(IConnectionListenerFactory)))
        .Select(d => $"{d.ServiceType.Name} {KeyName(d.ServiceKey)}")
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Orleans' keys are bare objects held in static fields of its internal types: named here by that field.</summary>
    private static string KeyName(object? key) =>
        (from assembly in AppDomain.CurrentDomain.GetAssemblies()
         where assembly.GetName().Name!.StartsWith("Orleans", StringComparison.Ordinal)
         from type in assembly.GetTypes()
         where !type.ContainsGenericParameters
         from field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
         where field.FieldType == typeof(object) && ReferenceEquals(field.GetValue(null), key)
         select $"{type.Name}.{field.Name}").FirstOrDefault() ?? $"unknown {key}";

    /// <summary>After the replacement, the last registration of every key (the one resolved) is the inline transport.</summary>
    private static void AssertReplaced(IServiceCollection services)
    {
        var before = services.Count;
        services.UseInlineOrleansSockets();
        Assert.True(services.Count > before);
        foreach (var group in services.Where(d => d.IsKeyedService
            && (d.ServiceType == typeof(IConnectionFactory) || d.ServiceType == typeof(IConnectionListenerFactory))).GroupBy(d => (d.ServiceType, d.ServiceKey)))
        {
            var resolved = group.Last();
            Assert.NotNull(resolved.KeyedImplementationFactory);
            Assert.Contains(nameof(InlineOrleansSockets), resolved.KeyedImplementationFactory!.Method.DeclaringType!.FullName!, StringComparison.Ordinal);
        }
    }
}
