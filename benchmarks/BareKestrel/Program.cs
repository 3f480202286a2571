// The baseline for the API benchmarks: bare Kestrel answering with fixed bytes (given as the first argument,
// a file holding the body the real endpoint returned), no auth, no grains.
var body = args.Length > 0 ? await File.ReadAllBytesAsync(args[0]) : "{}"u8.ToArray();
var builder = WebApplication.CreateSlimBuilder(args.Skip(1).ToArray());
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/api/users/me", (HttpContext http) =>
{
    http.Response.ContentType = "application/json; charset=utf-8";
    return http.Response.Body.WriteAsync(body).AsTask();
});
await app.RunAsync();
