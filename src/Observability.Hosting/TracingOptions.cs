namespace Observability.Hosting;

/// <summary>Sampling and sources of traces.</summary>
public sealed class TracingOptions
{
    /// <summary>
    /// One of <c>always_on</c>, <c>always_off</c>, <c>traceidratio</c>, <c>parentbased_always_on</c> (default),
    /// <c>parentbased_always_off</c>, <c>parentbased_traceidratio</c> (<c>OTEL_TRACES_SAMPLER</c>).
    /// </summary>
    public string Sampler { get; set; } = "parentbased_always_on";

    /// <summary>Ratio in [0, 1] for the ratio samplers (<c>OTEL_TRACES_SAMPLER_ARG</c>); default 1.</summary>
    public double SamplerArg { get; set; } = 1.0;

    /// <summary>Activity sources traced besides ASP.NET Core, HttpClient, SqlClient, Npgsql and <c>Articles.Api</c>.</summary>
    public IList<string> Sources { get; } = new List<string>();
}
