using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Jacameno.Frontend.Projects;

/// <summary>
/// Op payloads are JSON objects on every surface. SignalR's JSON protocol hands the hub a JsonElement, its
/// MessagePack protocol a map of objects; going out, only plain dictionaries and lists serialize the same in
/// both. These turn either into JSON text and JSON text into such a plain tree.
/// </summary>
public static class PlainJson
{
    public static string Serialize(object? value) => value switch
    {
        null => "null",
        JsonElement { ValueKind: JsonValueKind.Undefined } => "null",
        JsonElement element => element.GetRawText(),
        _ => JsonSerializer.Serialize(Plain(value)),
    };

    public static object? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromElement(document.RootElement);
    }

    private static object? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromElement(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(FromElement).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    // MessagePack maps arrive as Dictionary<object, object>; JSON objects need string keys.
    private static object? Plain(object? value) => value switch
    {
        IDictionary map => map.Keys.Cast<object>().ToDictionary(k => Convert.ToString(k, CultureInfo.InvariantCulture)!, k => Plain(map[k])),
        string or bool or null => value,
        IEnumerable list => list.Cast<object?>().Select(Plain).ToList(),
        _ => value,
    };
}
