using System.Text.Json;
using Jacameno.Common;

namespace Jacameno.Frontend.Http;

/// <summary>
/// One spelling of every enum value on every surface: camelCase, as REST's JSON writes it ("soldExclusively",
/// "premium"), in GraphQL strings, SignalR payloads and error messages alike. Parsing is strict: a defined name in
/// any case, never a number.
/// </summary>
public static class ApiEnums
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static IEnumerable<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Name);

    /// <summary>
    /// Exactly one name, in any case: not a number, not "a,b" (which Enum.TryParse reads as flags), not padded with
    /// spaces.
    /// </summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        var name = text is null ? null : Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
        return name is not null && Enum.TryParse(name, out value);
    }

    /// <summary>The value <paramref name="text"/> names, null when absent; a validation error listing the names otherwise.</summary>
    public static T? Parse<T>(string? text, string field) where T : struct, Enum =>
        text is null ? null
        : TryParse<T>(text, out var value) ? value
        : throw DomainException.Invalid(field, $"{field} must be one of {string.Join(", ", Names<T>())}.");
}
