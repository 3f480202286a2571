using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jacameno.Storage.Push;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jacameno.Frontend.Push;

/// <summary>
/// Firebase Cloud Messaging, HTTP v1 API: an OAuth access token from the service account (a signed JWT exchanged at
/// its token URI, RFC 7523, kept until shortly before it expires), then one <c>messages:send</c> per push.
/// </summary>
public sealed class FcmSender : IPushSender, IDisposable
{
    private const string Scope = "https://www.googleapis.com/auth/firebase.messaging";
    private readonly PushHttp http;
    private readonly ServiceAccount account;
    private readonly Uri sendUrl;
    private readonly RSA key = RSA.Create();
    private readonly SemaphoreSlim tokenLock = new(1, 1);
    private readonly TimeProvider clock;
    private (string Value, DateTimeOffset Until)? token;

    public FcmSender(PushHttp http, FcmOptions options, TimeProvider clock)
    {
        this.http = http;
        this.clock = clock;
        var json = options.ServiceAccountJson is { Length: > 0 } text ? text : File.ReadAllText(options.ServiceAccountFile!);
        account = JsonSerializer.Deserialize<ServiceAccount>(json) is { ProjectId.Length: > 0, ClientEmail.Length: > 0, PrivateKey.Length: > 0 } parsed
            ? parsed
            : throw new InvalidOperationException($"{PushOptions.SectionName}:Fcm: the service account key needs project_id, client_email and private_key.");
        key.ImportFromPem(account.PrivateKey);
        sendUrl = new Uri(options.BaseUrl, $"v1/projects/{Uri.EscapeDataString(account.ProjectId)}/messages:send");
    }

    public PushDeviceKind Kind => PushDeviceKind.Fcm;

    public async Task<PushOutcome> SendAsync(PushDevice device, PushContent content, CancellationToken cancellationToken)
    {
        try
        {
            var message = new
            {
                message = new
                {
                    token = device.Address,
                    notification = new { title = content.Title, body = content.Body },
                    data = new Dictionary<string, string> { ["id"] = content.EventId.ToString(), ["topic"] = content.Topic, ["url"] = content.Url },
                },
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, sendUrl) { Content = JsonContent.Create(message) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AccessTokenAsync(cancellationToken));
            using var response = await http.Client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                token = null;
                return new PushOutcome(PushResult.Retry, "FCM refused the access token; a new one is fetched.");
            }

            // UNREGISTERED (404) is a token that is no more; SENDER_ID_MISMATCH (403) one made for another Firebase project.
            return response.StatusCode == HttpStatusCode.Forbidden && body.Contains("SENDER_ID_MISMATCH", StringComparison.Ordinal)
                ? new PushOutcome(PushResult.Gone, body)
                : PushOutcome.FromStatus(response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return PushOutcome.FromException(e);
        }
    }

    public void Dispose()
    {
        key.Dispose();
        tokenLock.Dispose();
    }

    private async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        await tokenLock.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (token is { } cached && cached.Until > now)
            {
                return cached.Value;
            }

            var assertion = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = account.ClientEmail,
                Audience = account.TokenUri,
                Claims = new Dictionary<string, object> { ["scope"] = Scope, ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = now.AddHours(1).ToUnixTimeSeconds() },
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
            });
            using var response = await http.Client.PostAsync(account.TokenUri, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = assertion,
            }), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The FCM token endpoint answered {(int)response.StatusCode}.");
            }

            var issued = await response.Content.ReadFromJsonAsync<TokenAnswer>(cancellationToken) ?? throw new JsonException("An empty token answer.");
            // Renewed five minutes early, so no push goes out with a token about to expire.
            token = (issued.AccessToken, now.AddSeconds(Math.Max(60, issued.ExpiresIn - 300)));
            return issued.AccessToken;
        }
        finally
        {
            tokenLock.Release();
        }
    }

    private sealed record ServiceAccount(
        [property: JsonPropertyName("project_id")] string ProjectId,
        [property: JsonPropertyName("client_email")] string ClientEmail,
        [property: JsonPropertyName("private_key")] string PrivateKey,
        [property: JsonPropertyName("token_uri")] string TokenUri = "https://oauth2.googleapis.com/token");

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
