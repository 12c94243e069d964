using Stack.Tests.Implementation;
using YamlDotNet.RepresentationModel;

namespace Stack.Tests;

/// <summary>otel-collector/config.yaml: pipelines wired to defined components, metrics made before sampling.</summary>
public sealed class CollectorConfigTests
{
    private readonly YamlMappingNode _config = Yaml.LoadFile(StackPaths.CollectorConfig);

    private IReadOnlyList<CollectorPipeline> Pipelines => CollectorPipeline.From(_config);

    private HashSet<string> Defined(string section) => _config.Map(section).Entries().Select(e => e.Key).ToHashSet();

    [Fact]
    public void Every_pipeline_references_defined_components()
    {
        var receivers = Defined("receivers");
        var processors = Defined("processors");
        var exporters = Defined("exporters");
        var connectors = Defined("connectors");
        Assert.Equal(5, Pipelines.Count);
        foreach (var p in Pipelines)
        {
            Assert.Contains(p.Signal, new[] { "traces", "metrics", "logs" });
            Assert.NotEmpty(p.Receivers);
            Assert.NotEmpty(p.Exporters);
            Assert.All(p.Receivers, r => Assert.True(receivers.Contains(r) || connectors.Contains(r), $"{p.Id}: receiver {r} is not defined"));
            Assert.All(p.Processors, x => Assert.True(processors.Contains(x), $"{p.Id}: processor {x} is not defined"));
            Assert.All(p.Exporters, e => Assert.True(exporters.Contains(e) || connectors.Contains(e), $"{p.Id}: exporter {e} is not defined"));
        }

        Assert.All(_config.Map("service").Scalars("extensions"), x => Assert.Contains(x, Defined("extensions")));
    }

    [Fact]
    public void Every_defined_component_is_used()
    {
        var used = Pipelines.SelectMany(p => p.Receivers.Concat(p.Processors).Concat(p.Exporters)).ToHashSet();
        foreach (var section in new[] { "receivers", "processors", "exporters", "connectors" })
        {
            Assert.All(Defined(section), id => Assert.True(used.Contains(id), $"{section}.{id} is defined but no pipeline uses it"));
        }
    }

    [Fact]
    public void Logs_go_from_otlp_to_lokis_otlp_endpoint()
    {
        var logs = Assert.Single(Pipelines, p => p.Signal == "logs");
        Assert.Equal(["otlp"], logs.Receivers);
        Assert.Equal("memory_limiter", logs.Processors.First());
        var exporter = Assert.Single(logs.Exporters);
        // otlp_http (formerly otlphttp) appends /v1/logs; Loki 3.7.6 serves POST /otlp/v1/logs (pkg/loki/modules.go).
        Assert.Equal("otlp_http", CollectorPipeline.TypeOf(exporter));
        var config = _config.Map("exporters").Map(exporter);
        Assert.Equal("http://loki:3100/otlp", config.Str("endpoint"));
        Assert.Equal("true", config.Map("tls").Str("insecure"));
        Assert.NotNull(config.Map("sending_queue").Str("queue_size"));
    }

    [Theory]
    [InlineData("span_metrics", "traces", "metrics")]
    [InlineData("servicegraph", "traces", "metrics")]
    [InlineData("forward/sampling", "traces", "traces")]
    [InlineData("forward/servicegraph", "traces", "traces")]
    public void Connectors_join_pipelines_of_the_right_signals(string connector, string from, string to)
    {
        // A connector must be an exporter of one pipeline and a receiver of another, or the collector refuses to start.
        Assert.Contains(Pipelines, p => p.Signal == from && p.Exporters.Contains(connector));
        Assert.Contains(Pipelines, p => p.Signal == to && p.Receivers.Contains(connector));
        Assert.DoesNotContain(Pipelines, p => p.Exporters.Contains(connector) && p.Signal != from);
        Assert.DoesNotContain(Pipelines, p => p.Receivers.Contains(connector) && p.Signal != to);
    }

    [Fact]
    public void Span_metrics_and_service_graph_see_every_span_before_tail_sampling()
    {
        var ingress = Pipelines.Single(p => p.Signal == "traces" && p.Receivers.Contains("otlp"));
        Assert.Contains("span_metrics", ingress.Exporters);
        Assert.DoesNotContain("tail_sampling", ingress.Processors);
        var graph = Pipelines.Single(p => p.Exporters.Contains("servicegraph"));
        Assert.Single(graph.Receivers, r => ingress.Exporters.Contains(r));
        Assert.DoesNotContain("tail_sampling", graph.Processors);

        var sampled = Pipelines.Single(p => p.Processors.Contains("tail_sampling"));
        Assert.Contains(sampled.Exporters, e => CollectorPipeline.TypeOf(e) == "otlp_grpc");
        Assert.True(sampled.Processors.ToList().IndexOf("tail_sampling") < sampled.Processors.ToList().IndexOf("batch"), "batch must come after tail sampling");
    }

    [Fact]
    public void Memory_limiter_comes_first_where_data_enters()
    {
        foreach (var p in Pipelines.Where(p => p.Receivers.Contains("otlp")))
        {
            Assert.Equal("memory_limiter", p.Processors.FirstOrDefault());
        }

        var limiter = _config.Map("processors").Map("memory_limiter");
        Assert.NotEqual("0s", limiter.Str("check_interval") ?? "0s"); // the default 0 s disables the limiter
        Assert.True(limiter.Str("limit_mib") is not null || limiter.Str("limit_percentage") is not null);
    }

    [Fact]
    public void Span_metrics_carry_the_K6_dimensions_and_exemplars()
    {
        var spanMetrics = _config.Map("connectors").Map("span_metrics");
        var dimensions = spanMetrics.Seq("dimensions").Select(d => d.Str("name")).ToList();
        Assert.Contains("k6.testid", dimensions);
        Assert.Contains("k6.test_run_id", dimensions);
        Assert.Equal("true", spanMetrics.Map("exemplars").Str("enabled"));
        // Dashboards and trace-to-metrics queries use traces_span_metrics_duration_seconds_bucket.
        Assert.Equal("s", spanMetrics.Map("histogram").Str("unit"));
        Assert.Null(spanMetrics.Get("namespace"));
    }

    [Fact]
    public void Tail_sampling_keeps_errors_slow_traces_and_a_configurable_share()
    {
        var policies = _config.Map("processors").Map("tail_sampling").Seq("policies").ToList();
        Assert.Contains(policies, p => p.Str("type") == "status_code" && p.Map("status_code").Scalars("status_codes").Contains("ERROR"));
        var latency = policies.Single(p => p.Str("type") == "latency").Map("latency").Str("threshold_ms");
        var share = policies.Single(p => p.Str("type") == "probabilistic").Map("probabilistic").Str("sampling_percentage");

        // Both come from the environment (compose passes the .env values) with the .env.example default.
        var example = EnvFile.Read(StackPaths.EnvExample);
        Assert.Equal($"${{env:TAIL_SAMPLING_LATENCY_MS:-{example["TAIL_SAMPLING_LATENCY_MS"]}}}", latency);
        Assert.Equal($"${{env:TAIL_SAMPLING_PERCENTAGE:-{example["TAIL_SAMPLING_PERCENTAGE"]}}}", share);
    }

    [Fact]
    public void Tail_sampling_keeps_every_trace_of_AK_6_run()
    {
        // Exemplars come from every request; with only errors, slow traces and a share kept, most would open nothing.
        var policies = _config.Map("processors").Map("tail_sampling").Seq("policies").ToList();
        var k6 = policies.Single(p => p.Str("type") == "string_attribute" && p.Map("string_attribute").Str("key") == "k6.testid").Map("string_attribute");
        Assert.Equal("true", k6.Str("enabled_regex_matching"));
        Assert.NotEqual("true", k6.Str("invert_match"));
        var pattern = k6.Scalars("values").Single();
        Assert.Matches("^(?:" + pattern + ")$", "v1.2/run-3");
        Assert.DoesNotMatch("^(?:" + pattern + ")$", "");
    }

    [Fact]
    public void The_service_graph_draws_the_edge_from_K6_into_the_api()
    {
        // k6's traceparent names a client span that never arrives: the servicegraph connector (0.159.0) makes a
        // "user" virtual node only for an expired server half whose parent span id is empty, and only when
        // virtual_node_peer_attributes is not empty.
        var graph = Pipelines.Single(p => p.Exporters.Contains("servicegraph"));
        var statements = graph.Processors.Where(x => CollectorPipeline.TypeOf(x) == "transform")
            .SelectMany(x => _config.Map("processors").Map(x).Seq("trace_statements"))
            .Where(c => c.Str("context") == "span")
            .SelectMany(c => c.Scalars("statements")).ToList();
        Assert.Contains(statements, st => st.StartsWith("set(parent_span_id, SpanID(0x0000000000000000)) where kind == SPAN_KIND_SERVER", StringComparison.Ordinal)
            && st.Contains("attributes[\"k6.testid\"] != nil", StringComparison.Ordinal));
        Assert.NotEmpty(_config.Map("connectors").Map("servicegraph").Scalars("virtual_node_peer_attributes"));

        // Tempo keeps the real parent: the transform is not on the way to Tempo.
        var toTempo = Pipelines.Single(p => p.Exporters.Any(e => CollectorPipeline.TypeOf(e) == "otlp_grpc"));
        Assert.DoesNotContain(toTempo.Processors, x => CollectorPipeline.TypeOf(x) == "transform");
        Assert.DoesNotContain(Pipelines.Single(p => p.Receivers.Contains("otlp") && p.Signal == "traces").Processors, x => CollectorPipeline.TypeOf(x) == "transform");
    }

    [Fact]
    public void The_dashboards_slow_threshold_is_tail_samplings_threshold()
    {
        var example = EnvFile.Read(StackPaths.EnvExample);
        var slow = GrafanaDashboards.Constants().Single(c => c.Name == "slow_ms").Value;
        Assert.Equal(example["TAIL_SAMPLING_LATENCY_MS"], slow);
    }

    [Fact]
    public void Collector_metrics_are_reachable_for_prometheus()
    {
        var reader = _config.Map("service").Map("telemetry").Map("metrics").Seq("readers").Single().Map("pull").Map("exporter").Map("prometheus");
        Assert.Equal("0.0.0.0", reader.Str("host"));
        var prometheus = Yaml.LoadFile(StackPaths.PrometheusConfig);
        var targets = prometheus.Seq("scrape_configs").Single(j => j.Str("job_name") == "otel-collector")
            .Seq("static_configs").SelectMany(s => s.Scalars("targets"));
        Assert.Contains($"otel-collector:{reader.Str("port")}", targets);
    }
}
