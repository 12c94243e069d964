using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Observability.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservability();
var app = builder.Build();
app.MapGet("/", () => "hello");
app.MapGet("/work", (int? ms) => HotPath.Spin(ms ?? 20));
// A realistic request for benchmarks: an RS256 signature check (what a JWT bearer costs) and a JSON list of 20 items.
app.MapGet("/orders", () => Orders.List());
app.Run();

/// <summary>The method the profile of this app must show on top.</summary>
internal static class HotPath
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double Spin(int milliseconds)
    {
        var end = Environment.TickCount64 + milliseconds;
        double x = 0;
        while (Environment.TickCount64 < end)
        {
            for (var i = 1; i < 100_000; i++) x += Math.Sqrt(i);
        }
        return x;
    }
}

/// <summary>The realistic endpoint: the work of a token-checked list request, without a database.</summary>
internal static class Orders
{
    private static readonly RSA Key = RSA.Create(2048);
    private static readonly byte[] Token = Encoding.UTF8.GetBytes(
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyMSIsIm5hbWUiOiJ1c2VyMSIsImV4cCI6NDEwMjQ0NDgwMH0");
    private static readonly byte[] Signature = Key.SignData(Token, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public static IResult List()
    {
        if (!Key.VerifyData(Token, Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) return Results.Unauthorized();
        var items = new Order[20];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new Order(i + 1, $"order {i + 1}", 10.5m * (i + 1), DateTime.UnixEpoch.AddDays(i), ["a", "b"]);
        }
        return Results.Ok(items);
    }

    internal sealed record Order(int Id, string Title, decimal Total, DateTime CreatedAt, string[] Tags);
}
