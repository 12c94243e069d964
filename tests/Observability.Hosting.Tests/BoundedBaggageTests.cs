using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Observability.Hosting.Implementation;
using Observability.Hosting.Tests.Infrastructure;

namespace Observability.Hosting.Tests;

/// <summary>The baggage ASP.NET Core puts on server spans is held to the W3C limits before it is parsed.</summary>
public sealed class BoundedBaggageTests
{
    private static string Members(int count, string prefix = "m") =>
        string.Join(",", Enumerable.Range(0, count).Select(i => $"{prefix}{i}=v"));

    public static TheoryData<string, string?, string?> Cases() => new()
    {
        { "absent", null, null },
        { "empty", "", "" },
        { "within the limits", Members(64), Members(64) },
        { "65 members: the last dropped", Members(65), Members(64) },
        { "700 members", Members(700), Members(64) },
        { "8192 characters exactly", "a=" + new string('x', 8190), "a=" + new string('x', 8190) },
        { "past 8192 characters: cut at the member before", "a=1,b=" + new string('x', 9000), "a=1" },
        { "one oversized member: nothing kept", "b=" + new string('x', 9000), "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bound_keeps_whole_members_within_the_limits(string name, string? header, string? expected)
    {
        Assert.True(expected == BaggageParser.WithinLimits(header), name);
    }

    [Fact]
    public async Task The_host_resolves_the_bounded_propagator()
    {
        await using var host = await TestHost.StartAsync();
        Assert.IsType<BoundedBaggagePropagator>(host.App.Services.GetRequiredService<DistributedContextPropagator>());
    }

    [Fact]
    public async Task A_server_span_carries_at_most_64_baggage_members_of_a_700_member_header()
    {
        var probe = Guid.NewGuid().ToString("N");
        // The server span stops after the response has reached the client: wait for it.
        var stopped = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                var baggage = activity.Baggage.ToList();
                if (baggage.Any(pair => pair.Key == "probe" && pair.Value == probe)) stopped.TrySetResult(baggage.Count);
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await TestHost.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.TryAddWithoutValidation("baggage", $"probe={probe},k6.testid=bounded," + Members(698));
        using var response = await host.Client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.Equal(64, await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
