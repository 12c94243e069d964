using TestSupport.Otlp;

namespace Observability.Hosting.Tests.Infrastructure;

/// <summary>The settings that point the kit's OTLP export at a test's own receiver.</summary>
internal static class ExportSettings
{
    public const string Http = "http/protobuf";

    /// <summary>The protocols the kit exports over, for the tests that run once per protocol.</summary>
    public static TheoryData<string> Protocols => new() { Http, "grpc" };

    /// <summary>Where <paramref name="receiver"/> takes <paramref name="protocol"/>: gRPC and HTTP have ports of their own.</summary>
    public static Uri Endpoint(this OtlpReceiver receiver, string protocol) =>
        protocol == "grpc" ? receiver.GrpcEndpoint : receiver.HttpEndpoint;

    /// <summary>The kit's endpoint and protocol for <paramref name="receiver"/>, then the test's own <paramref name="more"/>.</summary>
    public static Dictionary<string, string?> ExportingTo(
        this OtlpReceiver receiver, string protocol = Http, params (string Key, string? Value)[] more) =>
        To(receiver.Endpoint(protocol), protocol, more);

    /// <summary>Export to a collector that refuses every connection: a free loopback port nothing listens on.</summary>
    public static Dictionary<string, string?> ToClosedPort(string protocol = Http, params (string Key, string? Value)[] more) =>
        To(new Uri($"http://127.0.0.1:{TestSupport.FreePort.Tcp()}"), protocol, more);

    /// <summary>A queue of 4 and batches of 2 that wait a minute: a blocked collector fills the queue within a few requests.</summary>
    public static void SmallQueue(ObservabilityOptions options)
    {
        options.Otlp.MaxQueueSize = 4;
        options.Otlp.MaxExportBatchSize = 2;
        options.Otlp.ExportTimeout = TimeSpan.FromSeconds(60);
    }

    private static Dictionary<string, string?> To(Uri endpoint, string protocol, (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.OtlpEndpoint] = endpoint.ToString(),
            [ObservabilityConfigKeys.OtlpProtocol] = protocol,
        };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }
}
