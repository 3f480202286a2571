using System.Text.Json;

namespace Jacameno.Jobs;

/// <summary>A job's input crosses as JSON (stored with the job, read by its handler on any silo).</summary>
public static class JobInputs
{
    /// <summary>How job inputs are written (by the frontend) and read (here): web defaults, enums as camelCase names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T input) => JsonSerializer.Serialize(input, Json);
}
