using Jacameno.Frontend.Hosting;
using Jacameno.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddJacamenoPlatform();
builder.AddJacamenoApi();

var app = builder.Build();
app.MapJacamenoApi();
return await PortClash.RunAsync(app, builder.Configuration.GetJacamenoOptions());

/// <summary>The frontend host; public for the API tests' WebApplicationFactory.</summary>
public partial class Program;
