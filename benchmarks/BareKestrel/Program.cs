using Microsoft.AspNetCore.SignalR;

// The baselines for the benchmarks: bare Kestrel answering with fixed bytes (given as the first argument,
// a file holding the body the real endpoint returned; no auth, no grains), and a bare SignalR hub that
// only broadcasts each message to the others in its group (no auth, no ordering, no storage).
var body = args.Length > 0 && File.Exists(args[0]) ? await File.ReadAllBytesAsync(args[0]) : "{}"u8.ToArray();
var builder = WebApplication.CreateSlimBuilder(args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray());
builder.Logging.ClearProviders();
builder.Services.AddSignalR();
var app = builder.Build();
app.MapGet("/api/users/me", (HttpContext http) =>
{
    http.Response.ContentType = "application/json; charset=utf-8";
    return http.Response.Body.WriteAsync(body).AsTask();
});
app.MapHub<BareHub>("/hubs/bare");
await app.RunAsync();

/// <summary>Join a group; Send relays the message to everyone else in it.</summary>
public sealed class BareHub : Hub
{
    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Send(string group, string opId, object? payload) => Clients.OthersInGroup(group).SendAsync("Relayed", opId, payload);
}
