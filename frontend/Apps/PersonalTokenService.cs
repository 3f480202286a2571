using Jacameno.Apps;
using Jacameno.Common;

namespace Jacameno.Frontend.Apps;

public sealed record CreateTokenRequest(string? Name, IReadOnlyList<string?>? Scopes, int? ExpiresInDays);

public sealed record PersonalTokenResponse(Guid Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt)
{
    public static PersonalTokenResponse From(PersonalToken t) => new(t.Id, t.Name, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt);
}

/// <summary>The token, with its secret: shown once.</summary>
public sealed record CreatedTokenResponse(PersonalTokenResponse Token, string Secret);

/// <summary>Personal access tokens for scripts and tools (docs/apps.md): made, listed and revoked by their owner.</summary>
public sealed class PersonalTokenService(IGrainFactory grains, TimeProvider clock)
{
    public const int DefaultDays = 90;
    public const int MaxDays = 366;

    public async Task<CreatedTokenResponse> CreateAsync(Guid userId, CreateTokenRequest request)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            throw DomainException.Invalid("name", "Name the token (1-100 characters), so you know later what uses it.");
        }

        var scopes = ApiScopes.Parse(request.Scopes, out var error);
        if (error is not null)
        {
            throw DomainException.Invalid("scopes", error);
        }

        var days = request.ExpiresInDays ?? DefaultDays;
        if (days is < 1 or > MaxDays)
        {
            throw DomainException.Invalid("expiresInDays", $"A token lives 1 to {MaxDays} days.");
        }

        var created = await grains.GetGrain<IAccessGrantsGrain>(userId).CreateTokenAsync(name, scopes, clock.GetUtcNow().AddDays(days));
        return new CreatedTokenResponse(PersonalTokenResponse.From(created.Token), created.Secret);
    }

    public async Task<IReadOnlyList<PersonalTokenResponse>> ListAsync(Guid userId) =>
        [.. (await grains.GetGrain<IAccessGrantsGrain>(userId).TokensAsync()).Select(PersonalTokenResponse.From)];

    public async Task RevokeAsync(Guid userId, Guid tokenId)
    {
        if (!await grains.GetGrain<IAccessGrantsGrain>(userId).RevokeTokenAsync(tokenId))
        {
            throw new DomainException(DomainErrorKind.NotFound, "No such token.");
        }
    }
}
