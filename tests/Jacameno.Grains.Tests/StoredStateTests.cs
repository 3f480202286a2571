using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Jacameno.Tests;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Jacameno.Grains.Tests;

/// <summary>
/// Every grain's stored state, in today's format, still loads whole. tests/Jacameno.Grains.Tests/StoredState holds one
/// document per state type, every field filled, written by the storage serializer the silos use. Each must read back
/// and write out unchanged: renaming or dropping a stored field loses data that is already stored (it fails here),
/// while the API's names are the edge's own response types and do not depend on these.
/// JACAMENO_UPDATE_STORED=1 writes the documents for a state type that has none yet (or after a deliberate migration).
/// </summary>
public sealed class StoredStateTests(EmbeddedSiloFixture silo) : IClassFixture<EmbeddedSiloFixture>
{
    public static TheoryData<string> StateTypes => [.. GrainStates().Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(StateTypes))]
    public void TodaysStoredState_LoadsAndWritesBackUnchanged(string typeName)
    {
        var type = GrainStates().Single(t => t.Name == typeName);
        var serializer = silo.Services.GetRequiredService<IGrainStorageSerializer>();
        var path = Path.Combine(TestServices.RepositoryRoot(), "tests", "Jacameno.Grains.Tests", "StoredState", typeName + ".json");
        if (Environment.GetEnvironmentVariable("JACAMENO_UPDATE_STORED") == "1" && !File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var sample = new Filler().Make(type);
            var written = Serialize(serializer, type, sample);
            File.WriteAllText(path, JsonNode.Parse(written)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        Assert.True(File.Exists(path), $"No stored document for {typeName}: run with JACAMENO_UPDATE_STORED=1 once.");
        var stored = File.ReadAllText(path);
        var loaded = Deserialize(serializer, type, stored);
        var again = Serialize(serializer, type, loaded);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(again)),
            $"{typeName} no longer reads its stored document whole: a stored field was renamed or removed.\nstored: {stored}\nnow:    {again}");
    }

    [Fact]
    public void EveryGrainsState_HasAStoredDocument()
    {
        Assert.True(GrainStates().Count() >= 13);
        Assert.Contains(GrainStates(), t => t.Name == "ProjectState");
    }

    /// <summary>The classes grains keep in <c>IPersistentState&lt;T&gt;</c>.</summary>
    private static IEnumerable<Type> GrainStates() => typeof(Hosting.SiloHostingExtensions).Assembly.GetTypes()
        .Where(t => typeof(Grain).IsAssignableFrom(t) && !t.IsAbstract)
        .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
        .Select(p => p.ParameterType)
        .Where(p => p.IsGenericType && p.GetGenericTypeDefinition() == typeof(IPersistentState<>))
        .Select(p => p.GetGenericArguments()[0])
        .Distinct()
        .OrderBy(t => t.Name, StringComparer.Ordinal);

    private static string Serialize(IGrainStorageSerializer serializer, Type type, object value) =>
        ((BinaryData)typeof(IGrainStorageSerializer).GetMethod(nameof(IGrainStorageSerializer.Serialize))!.MakeGenericMethod(type)
            .Invoke(serializer, [value])!).ToString();

    private static object Deserialize(IGrainStorageSerializer serializer, Type type, string json) =>
        typeof(IGrainStorageSerializer).GetMethod(nameof(IGrainStorageSerializer.Deserialize))!.MakeGenericMethod(type)
            .Invoke(serializer, [BinaryData.FromString(json)])!;

    /// <summary>Makes a value of a type with every field set to something other than its default, the same every time.</summary>
    private sealed class Filler
    {
        private int next;

        public object Make(Type type, int depth = 0)
        {
            next++;
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying is not null)
            {
                return Make(underlying, depth);
            }

            if (type == typeof(string))
            {
                return $"text{next}";
            }

            if (type == typeof(bool))
            {
                return true;
            }

            if (type == typeof(Guid))
            {
                return new Guid(next, 0, 0x4000, [0x80, 0, 0, 0, 0, 0, 0, (byte)next]);
            }

            if (type == typeof(DateTimeOffset))
            {
                return new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero).AddMinutes(next);
            }

            if (type == typeof(DateOnly))
            {
                return new DateOnly(2026, 12, 4).AddDays(next);
            }

            if (type == typeof(TimeSpan))
            {
                return TimeSpan.FromSeconds(next);
            }

            if (type.IsEnum)
            {
                var values = Enum.GetValues(type);
                return values.GetValue(values.Length > 1 ? 1 : 0)!;
            }

            if (type.IsPrimitive || type == typeof(decimal))
            {
                return Convert.ChangeType(next % 100 + 1, type, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (type.IsArray)
            {
                var array = Array.CreateInstance(type.GetElementType()!, 1);
                array.SetValue(Make(type.GetElementType()!, depth + 1), 0);
                return array;
            }

            if (type.IsGenericType && type.GetGenericArguments() is { Length: 2 } kv && typeof(IEnumerable).IsAssignableFrom(type))
            {
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(kv))!;
                if (depth < 4)
                {
                    dictionary[Make(kv[0], depth + 1)] = Make(kv[1], depth + 1);
                }

                return dictionary;
            }

            if (type.IsGenericType && type.GetGenericArguments() is { Length: 1 } item && typeof(IEnumerable).IsAssignableFrom(type))
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
                if (depth < 4)
                {
                    list.Add(Make(item[0], depth + 1));
                }

                return type.IsAssignableFrom(list.GetType()) ? list : Activator.CreateInstance(type, list)!;
            }

            // A record or class: the widest constructor with made arguments, then every settable property.
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            var instance = constructor.Invoke([.. constructor.GetParameters().Select(p => Make(p.ParameterType, depth + 1))]);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic))
            {
                if (constructor.GetParameters().Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                property.SetValue(instance, Make(property.PropertyType, depth + 1));
            }

            return instance;
        }
    }
}
