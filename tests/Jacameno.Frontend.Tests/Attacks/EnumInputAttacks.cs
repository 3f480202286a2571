using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// Enum inputs that .NET's own parsing lets through: a number names any value ("3" is admin), "a,b" is read as a flag
/// combination, padding is trimmed. Every enum input takes exactly one name (any case) and refuses the rest with 400.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class EnumInputAttacks(SharedPlatform platform)
{
    private static readonly string[] Smuggled = ["3", "-1", "admin,user", " premium", "premium ", "Premium\n", ""];

    [Fact]
    public async Task ARole_GivenAsANumberAFlagSetOrPadded_IsRefused_OnEveryEndpointThatTakesOne()
    {
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        var target = await platform.RegisterAsync();
        var member = await platform.RegisterAsync();
        using var owner = platform.CreateClient(target.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(owner, "Enums")).GetProperty("id").GetString()!;
        foreach (var role in Smuggled.Append("editor,viewer").Append("2"))
        {
            var promoted = await admin.PutAsJsonAsync($"/api/admin/users/{target.User.Id}/role", new { role });
            Assert.Equal(HttpStatusCode.BadRequest, promoted.StatusCode);
            var shared = await owner.PutAsJsonAsync($"/api/projects/{projectId}/collaborators/{member.User.Id}", new { role });
            Assert.Equal(HttpStatusCode.BadRequest, shared.StatusCode);
        }

        Assert.Equal("user", (await (await owner.GetAsync("/api/users/me")).BodyAsync()).GetProperty("role").GetString());
        // Exactly one name, in any case, is what works.
        Assert.Equal("premium", (await (await admin.PutAsJsonAsync($"/api/admin/users/{target.User.Id}/role", new { role = "PREMIUM" })).BodyAsync())
            .GetProperty("role").GetString());
    }

    [Fact]
    public async Task AGraphQLEnumArgument_GivenAsANumber_IsAValidationError_NamingTheValues()
    {
        var user = await platform.RegisterAsync();
        using var client = platform.CreateClient(user.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Render enums")).GetProperty("id").GetString()!;
        foreach (var format in new[] { "1", "wav,flac", " wav" })
        {
            var query = JsonSerializer.Serialize(new
            {
                query = "mutation($p: ID!, $f: String) { renderProject(projectId: $p, format: $f) { id } }",
                variables = new { p = projectId, f = format },
            });
            var body = await (await client.PostAsync("/graphql", new StringContent(query, Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync();
            Assert.Contains("format must be one of wav, flac, mp3, opus, aac", body, StringComparison.Ordinal);
        }
    }
}
