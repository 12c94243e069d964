using OpenTelemetry.Trace;

namespace Observability.Hosting.Implementation;

/// <summary>Maps the standard <c>OTEL_TRACES_SAMPLER</c> names onto SDK samplers.</summary>
internal static class SamplerFactory
{
    public const string KnownNames = "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio";

    public static bool IsKnown(string name) => name is "always_on" or "always_off" or "traceidratio"
        or "parentbased_always_on" or "parentbased_always_off" or "parentbased_traceidratio";

    public static Sampler Create(string name, double ratio) => name switch
    {
        "always_on" => new AlwaysOnSampler(),
        "always_off" => new AlwaysOffSampler(),
        "traceidratio" => new TraceIdRatioBasedSampler(ratio),
        "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
        "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)),
        _ => new ParentBasedSampler(new AlwaysOnSampler()),
    };
}
