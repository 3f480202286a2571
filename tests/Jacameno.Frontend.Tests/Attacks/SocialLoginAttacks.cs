using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>Social sign-in as an open redirect: the browser must land only on this site or on a configured app URL.</summary>
public sealed class SocialLoginAttacks(ExternalLoginFixture fixture) : IClassFixture<ExternalLoginFixture>
{
    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\r/evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("/x\\..\\\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/ /evil.example")]
    [InlineData("/\u0000/evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("jacameno://auth.evil.example")]
    [InlineData("jacameno://auth/../../evil")]
    [InlineData("JACAMENO://auth")]
    public async Task ReturnUrls_ThatLeaveTheSite_AreRefused(string returnUrl)
    {
        using var browser = fixture.Platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await browser.GetAsync($"/api/auth/external/test/start?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("/studio")]
    [InlineData("/releases/1?tab=stats")]
    [InlineData("jacameno://auth")]
    public async Task ReturnUrls_OnTheSite_OrTheExactAppUrl_StartTheSignIn(string returnUrl)
    {
        using var browser = fixture.Platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        var response = await browser.GetAsync($"/api/auth/external/test/start?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(fixture.Provider.Issuer.ToString(), response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
