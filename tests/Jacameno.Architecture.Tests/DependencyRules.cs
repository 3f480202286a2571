using System.Reflection;
using Jacameno.Frontend.Hosting;
using Jacameno.Storage;
using NetArchTest.Rules;

namespace Jacameno.Architecture.Tests;

/// <summary>
/// The projects' allowed dependencies (docs/architecture.md), checked on the compiled assemblies:
/// audio ← grain-interfaces ← storage ← grains ← frontend, with the edge reaching grain-side code only through
/// contracts, and the one composition root (<see cref="PlatformHosting"/>) that wires grains and stores in.
/// Namespaces are shared across projects by feature (<c>Jacameno.Projects</c> is in contracts and grains), so the
/// rules name the other assembly's types one by one rather than a namespace.
/// </summary>
public sealed class DependencyRules
{
    private static readonly Assembly Audio = typeof(Audio.Formats.AudioContainer).Assembly;
    private static readonly Assembly Contracts = typeof(Projects.IProjectGrain).Assembly;
    private static readonly Assembly Storage = typeof(SchemaMigrator).Assembly;
    private static readonly Assembly Grains = typeof(Hosting.SiloHostingExtensions).Assembly;
    private static readonly Assembly Frontend = typeof(PlatformHosting).Assembly;
    private static readonly Assembly PluginHosting = typeof(Plugins.PluginInstance).Assembly;

    [Fact]
    public void TheFrontend_UsesGrains_OnlyWhereItHostsThem()
    {
        var result = FrontendTypes().And().DoNotHaveName(nameof(PlatformHosting))
            .ShouldNot().HaveDependencyOnAny(TypesOf(Grains)).GetResult();
        AssertHolds(result, "frontend types outside PlatformHosting use grains types");
    }

    [Fact]
    public void TheFrontend_UsesStores_OnlyThroughTheirInterfaces()
    {
        var stores = Storage.GetTypes().Where(IsStoreImplementation).Select(NameOf).ToArray();
        Assert.Contains(stores, s => s.EndsWith(".PostgresCatalog", StringComparison.Ordinal));
        Assert.Contains(stores, s => s.EndsWith(".S3BlobStore", StringComparison.Ordinal));
        var result = FrontendTypes().And().DoNotHaveName(nameof(PlatformHosting))
            .ShouldNot().HaveDependencyOnAny(stores).GetResult();
        AssertHolds(result, "frontend types name a store implementation");
    }

    [Fact]
    public void Contracts_DependOnNoImplementation()
    {
        var result = Types.InAssembly(Contracts).That().DoNotResideInNamespaceStartingWith("OrleansCodeGen")
            .ShouldNot().HaveDependencyOnAny([.. TypesOf(Grains), .. TypesOf(Storage), .. TypesOf(Frontend)]).GetResult();
        AssertHolds(result, "contracts use grains, storage or frontend types");
        AssertReferencesNone(Contracts, Grains, Storage, Frontend);
    }

    [Fact]
    public void Storage_DependsOnContractsOnly()
    {
        var result = Types.InAssembly(Storage).ShouldNot().HaveDependencyOnAny([.. TypesOf(Grains), .. TypesOf(Frontend)]).GetResult();
        AssertHolds(result, "storage uses grains or frontend types");
        AssertReferencesNone(Storage, Grains, Frontend);
    }

    [Fact]
    public void Grains_DoNotKnowTheFrontend()
    {
        var result = Types.InAssembly(Grains).ShouldNot().HaveDependencyOnAny(TypesOf(Frontend)).GetResult();
        AssertHolds(result, "grains use frontend types");
        AssertReferencesNone(Grains, Frontend);
    }

    /// <summary>Plugin hosting (the host process and its client) speaks contracts and audio, and knows nothing of the platform's runtime.</summary>
    [Fact]
    public void PluginHosting_KnowsNoGrainsStorageOrFrontend()
    {
        var result = Types.InAssembly(PluginHosting).ShouldNot().HaveDependencyOnAny([.. TypesOf(Grains), .. TypesOf(Storage), .. TypesOf(Frontend)]).GetResult();
        AssertHolds(result, "plugin hosting uses grains, storage or frontend types");
        AssertReferencesNone(PluginHosting, Grains, Storage, Frontend);
    }

    [Fact]
    public void TheAudioLibrary_HasNoFrameworkTies()
    {
        var result = Types.InAssembly(Audio)
            .ShouldNot().HaveDependencyOnAny(["Orleans", "Microsoft.AspNetCore", .. TypesOf(Contracts), .. TypesOf(Storage), .. TypesOf(Grains)])
            .GetResult();
        AssertHolds(result, "the audio library uses Orleans, ASP.NET Core or platform types");
        AssertReferencesNone(Audio, Contracts, Storage, Grains, Frontend);
        Assert.DoesNotContain(Audio.GetReferencedAssemblies(), a => a.Name!.StartsWith("Orleans", StringComparison.Ordinal));
    }

    [Fact]
    public void TheRules_SeeAViolation()
    {
        // The composition root does use grains: if the rule cannot see that, it sees nothing.
        var result = Types.InAssembly(Frontend).That().HaveName(nameof(PlatformHosting))
            .ShouldNot().HaveDependencyOnAny(TypesOf(Grains)).GetResult();
        Assert.False(result.IsSuccessful);
    }

    private static PredicateList FrontendTypes() =>
        // OrleansCodeGen: serializers the Orleans SDK generates for the contracts the frontend sends.
        Types.InAssembly(Frontend).That().DoNotResideInNamespaceStartingWith("OrleansCodeGen");

    /// <summary>Every type an assembly declares (its generated code and compiler types aside), by full name.</summary>
    private static string[] TypesOf(Assembly assembly) => assembly.GetTypes()
        .Where(t => t.Namespace is { } ns && !ns.StartsWith("OrleansCodeGen", StringComparison.Ordinal) && !t.Name.StartsWith('<'))
        .Where(t => t.FullName is { } name && !name.Contains('<', StringComparison.Ordinal))
        .Select(NameOf)
        .ToArray();

    private static string NameOf(Type type) => type.FullName!.Replace('+', '/');

    /// <summary>A class that holds a connection or implements a store's interface: what only the hosting may construct.</summary>
    private static bool IsStoreImplementation(Type type) =>
        type is { IsClass: true, IsAbstract: false } && !type.Name.StartsWith('<')
        && (type.GetInterfaces().Any(i => i.Assembly == Storage) || type.BaseType?.Assembly == Storage || type.Name.EndsWith("Database", StringComparison.Ordinal));

    private static void AssertReferencesNone(Assembly assembly, params Assembly[] forbidden)
    {
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name).ToHashSet();
        foreach (var other in forbidden)
        {
            Assert.False(references.Contains(other.GetName().Name), $"{assembly.GetName().Name} references {other.GetName().Name}");
        }
    }

    private static void AssertHolds(TestResult result, string what) =>
        Assert.True(result.IsSuccessful, $"{what}: {string.Join(", ", result.FailingTypeNames ?? [])}");
}
