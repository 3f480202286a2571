using Jacameno.Frontend.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddJacamenoPlatform();
builder.AddJacamenoApi();

var app = builder.Build();
app.MapJacamenoApi();
app.Run();

/// <summary>The frontend host; public for the API tests' WebApplicationFactory.</summary>
public partial class Program;
