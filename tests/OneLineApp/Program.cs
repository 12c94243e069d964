using System.Runtime.CompilerServices;
using Observability.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservability();
var app = builder.Build();
app.MapGet("/", () => "hello");
app.MapGet("/work", (int? ms) => HotPath.Spin(ms ?? 20));
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
