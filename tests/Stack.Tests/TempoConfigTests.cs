using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>tempo/tempo.yaml uses only keys that both Tempo 2.x and 3.x accept (docs: shared facts on Tempo 3.0).</summary>
public sealed class TempoConfigTests
{
    private readonly YamlDotNet.RepresentationModel.YamlMappingNode _config = Yaml.LoadFile(StackPaths.TempoConfig);

    [Theory]
    [InlineData("ingester")]
    [InlineData("compactor")]
    [InlineData("metrics_generator_client")]
    public void No_block_that_tempo3_refuses(string block)
    {
        Assert.Null(_config.Get(block));
    }

    [Fact]
    public void Overrides_use_the_nested_format_and_no_local_blocks()
    {
        var overrides = _config.Map("overrides")!;
        Assert.Equal(["defaults"], overrides.Entries().Select(e => e.Key));
        var processors = overrides.Map("defaults").Map("metrics_generator").Scalars("processors").ToList();
        Assert.Equal(["span-metrics"], processors);
        Assert.Null(_config.Map("metrics_generator").Map("processor").Get("local_blocks"));
    }

    [Fact]
    public void Generator_writes_exemplars_to_prometheus_and_grafana_can_stream()
    {
        Assert.Equal("true", _config.Str("stream_over_http_enabled"));
        var remoteWrite = _config.Map("metrics_generator").Map("storage").Seq("remote_write").Single();
        Assert.Equal("http://prometheus:9090/api/v1/write", remoteWrite.Str("url"));
        Assert.Equal("true", remoteWrite.Str("send_exemplars"));
        Assert.Equal("local", _config.Map("storage").Map("trace").Str("backend"));
    }
}
