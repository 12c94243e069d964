using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

[Collection(RunsAloneCollection.Name)]
public sealed class EnvironmentVariableTests
{
    [Fact]
    public void Standard_variables_from_the_process_environment_are_read()
    {
        using var _ = new EnvironmentScope(new()
        {
            [K.OtelServiceName] = "env-service",
            [K.OtelTracesSampler] = "traceidratio",
            [K.OtelTracesSamplerArg] = "0.5",
            ["Observability__LoadTest__MaxTestIds"] = "3",
        });
        var builder = Host.CreateApplicationBuilder();
        builder.AddObservability();
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<ObservabilityOptions>();
        Assert.Equal("env-service", options.ServiceName);
        Assert.Equal("traceidratio", options.Tracing.Sampler);
        Assert.Equal(0.5, options.Tracing.SamplerArg);
        Assert.Equal(3, options.LoadTest.MaxTestIds);
    }

    [Fact]
    public void OTEL_SDK_DISABLED_in_the_environment_turns_everything_off()
    {
        using var _ = new EnvironmentScope(new() { [K.OtelSdkDisabled] = "true" });
        var builder = Host.CreateApplicationBuilder();
        var before = builder.Services.Count;
        builder.AddObservability();
        Assert.Equal(before, builder.Services.Count);
    }

    private sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> _previous = new();

        public EnvironmentScope(Dictionary<string, string> values)
        {
            foreach (var (key, value) in values)
            {
                _previous[key] = Environment.GetEnvironmentVariable(key);
                Environment.SetEnvironmentVariable(key, value);
            }
        }

        public void Dispose()
        {
            foreach (var (key, value) in _previous) Environment.SetEnvironmentVariable(key, value);
        }
    }
}
