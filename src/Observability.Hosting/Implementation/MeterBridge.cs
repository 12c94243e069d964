using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Observability.Profiling;
using Prometheus;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Publishes the meters ASP.NET Core and the runtime already keep (Kestrel's connections, ASP.NET Core's
/// diagnostics, <c>System.Runtime</c>) in the host's registry, named as the OpenTelemetry-to-Prometheus rules name
/// them: <c>kestrel.active_connections</c> becomes <c>kestrel_active_connections</c>, a counter in seconds
/// <c>dotnet.gc.pause.time</c> becomes <c>dotnet_gc_pause_time_seconds_total</c>, tag <c>error.type</c> label
/// <c>error_type</c>. prometheus-net's own MeterAdapter names a metric after its meter and instrument
/// (<c>microsoft_aspnetcore_server_kestrel_kestrel_active_connections</c>) and turns counters into gauges, which
/// the community dashboards do not read. Only the host's own ASP.NET Core meters (created by its
/// <see cref="IMeterFactory"/>) are published, so several hosts in one process never mix. ASP.NET Core's hosting
/// meter is left out: the kit's request histogram under the same names carries exemplars and the k6 test id.
/// The application's meters, HttpClient's and Npgsql's (<see cref="MeterSelection"/>) are published the same way,
/// with at most <see cref="MaxSeriesPerInstrument"/> tag combinations each: later ones fold into one series whose
/// labels read <c>other</c>, counted in <c>observability_loadtest_label_overflow_total{label="meter"}</c>.
/// </summary>
internal sealed class MeterBridge : IDisposable
{
    private static readonly string[] HostMeters = ["Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics"];
    private const string RuntimeMeter = "System.Runtime";
    /// <summary>ASP.NET Core's hosting meter: never on /metrics, where the kit's request histogram has its names.</summary>
    internal const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string ErrorTypeTag = "error.type";
    // The runtime declares these as observable counters, but they go down as well as up: the semantic conventions
    // call them up-down counters, and a Prometheus counter would keep their highest value for ever.
    private static readonly string[] CurrentValues = ["dotnet.thread_pool.queue.length", "dotnet.thread_pool.thread.count"];
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>Tag combinations kept per instrument of a selected (not the runtime's or ASP.NET Core's) meter.</summary>
    public const int MaxSeriesPerInstrument = 500;

    private readonly IMetricFactory _factory;
    private readonly IMeterFactory _hostMeters;
    private readonly MeterSelection _selected;
    private readonly Action _onSeriesOverflow;
    private readonly BoundedLabelSet _errorTypes;
    private readonly MeterListener _listener = new();
    private MeterListener? _providerListener;
    private readonly ConcurrentDictionary<(Instrument Instrument, string TagKeys), Sink> _sinks = new();
    // The sinks of an instrument by tag-key layout, found without building a key (a handful of layouts at most).
    private readonly ConcurrentDictionary<Instrument, (string[] Keys, Sink Sink)[]> _layouts = new();
    private const int MaxLayoutsPerInstrument = 8;
    private static readonly string?[] SmallIntegers = new string?[1024];

    [ThreadStatic]
    private static string[]?[]? _scratch;
    private readonly Lock _disposeLock = new();
    private bool _disposed;

    public MeterBridge(
        IMetricFactory factory, CollectorRegistry registry, IMeterFactory hostMeters, BoundedLabelSet errorTypes,
        MeterSelection? selected = null, Action? onSeriesOverflow = null)
    {
        _factory = factory;
        _hostMeters = hostMeters;
        _selected = selected ?? MeterSelection.None;
        _onSeriesOverflow = onSeriesOverflow ?? (() => { });
        _errorTypes = errorTypes;
        Listen(_listener, Wanted);
        // Observable instruments (all of System.Runtime's) report when asked: at each scrape, not between scrapes.
        registry.AddBeforeCollectCallback(() =>
        {
            lock (_disposeLock)
            {
                if (_disposed) return;
                _listener.RecordObservableInstruments();
                _providerListener?.RecordObservableInstruments();
            }
        });
    }

    private bool Wanted(Instrument instrument) => Publishes(instrument, _hostMeters, _selected);

    private void Listen(MeterListener listener, Func<Instrument, bool> wanted)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (wanted(instrument)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, m, tags, _) => Record(i, m, tags));
        listener.SetMeasurementEventCallback<int>((i, m, tags, _) => Record(i, m, tags));
        listener.SetMeasurementEventCallback<double>((i, m, tags, _) => Record(i, m, tags));
        listener.Start();
    }

    /// <summary>
    /// Also publishes the meters the host's OpenTelemetry meter provider listens to (an app's
    /// <c>ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(…))</c>), under the same rules as the selected meters:
    /// this host's or no host's, bounded series. ASP.NET Core's hosting meter and the kit's
    /// own stay out: <c>/metrics</c> has their series already, from the kit's own histograms. A listener of its own,
    /// started once the provider is built, sees the instruments published before it. Called once; later calls do nothing.
    /// </summary>
    public void AddProviderMeters(MeterNamePatterns listenedTo)
    {
        var listener = new MeterListener();
        lock (_disposeLock)
        {
            if (_disposed || _providerListener is not null)
            {
                listener.Dispose();
                return;
            }
            _providerListener = listener;
        }
        Listen(listener, instrument => !Wanted(instrument) && FromProvider(instrument, listenedTo));
        // Disposed meanwhile: Dispose may have run before Start, which would have left this one listening.
        lock (_disposeLock)
            if (_disposed) listener.Dispose();
    }

    private bool FromProvider(Instrument instrument, MeterNamePatterns listenedTo)
    {
        var meter = instrument.Meter;
        return (meter.Scope is null || ReferenceEquals(meter.Scope, _hostMeters))
            && meter.Name != HostingMeter && meter.Name != HostingMetrics.MeterName
            && listenedTo.Matches(meter.Name);
    }

    /// <summary>
    /// The instruments the kit publishes, on <c>/metrics</c> and over OTLP alike: the runtime's, the host's own
    /// ASP.NET Core meters, and the selected meters of no host or of this one; never the runtime's gauges named <c>*_count</c>.
    /// </summary>
    internal static bool Publishes(Instrument instrument, IMeterFactory hostMeters, MeterSelection selected) =>
        Selects(instrument, hostMeters, selected) && !IsRuntimeCountGauge(instrument);

    /// <summary>Whether the instrument's meter is one the kit takes for this host (before any instrument is left out).</summary>
    internal static bool Selects(Instrument instrument, IMeterFactory hostMeters, MeterSelection selected)
    {
        var scope = instrument.Meter.Scope;
        return instrument.Meter.Name == RuntimeMeter
            || (ReferenceEquals(scope, hostMeters) && HostMeters.Contains(instrument.Meter.Name, StringComparer.Ordinal))
            // Another host's factory's meters are that host's; static meters (no scope) belong to every host. The kit's
            // own meter holds the DB histogram that /metrics already has from prometheus-net.
            || ((scope is null || ReferenceEquals(scope, hostMeters)) && selected.Includes(instrument.Meter.Name)
                && instrument.Meter.Name != HostingMetrics.MeterName);
    }

    /// <summary>The meters <see cref="Publishes"/> may take by name (the host's own among them), for a provider's <c>AddMeter</c>.</summary>
    internal static IEnumerable<string> MeterNames => HostMeters.Append(RuntimeMeter);

    // The runtime's gauges named *_count (dotnet.assembly.count, dotnet.timer.count, dotnet.process.cpu.count,
    // dotnet.thread_pool.thread.count) stay out: `promtool check metrics` reads the suffix as a histogram's, and none of
    // them tells a load test anything (the thread count is the kit's dotnet_threadpool_threads). A library's or the
    // app's gauge is published under its translated name even so (Npgsql's db.client.connection.count, the pool's
    // connections by state, has no other name a dashboard could read).
    internal static bool IsRuntimeCountGauge(Instrument instrument) =>
        instrument.Meter.Name == RuntimeMeter && KindOf(instrument) is not Kind.Histogram
        && MetricName(instrument).EndsWith("_count", StringComparison.Ordinal);

    private enum Kind
    {
        Increment,
        Cumulative,
        UpDown,
        Current,
        Histogram,
    }

    private static Kind KindOf(Instrument instrument)
    {
        if (CurrentValues.Contains(instrument.Name, StringComparer.Ordinal)) return Kind.Current;
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (definition == typeof(Counter<>)) return Kind.Increment;
        if (definition == typeof(ObservableCounter<>)) return Kind.Cumulative;
        if (definition == typeof(UpDownCounter<>)) return Kind.UpDown;
        if (definition == typeof(Histogram<>)) return Kind.Histogram;
        return Kind.Current;
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // This runs inside Kestrel's and the runtime's own calls: an exception would reach them (and a connection).
        // A lost measurement is the lesser harm.
        try
        {
            var sink = SinkFor(instrument, tags);
            // Label values go into a per-thread array: a series already seen costs no allocation.
            var values = Scratch(sink.TagIndexes.Length);
            for (var i = 0; i < values.Length; i++)
            {
                var tag = tags[sink.TagIndexes[i]];
                var text = Text(tag.Value);
                values[i] = tag.Key == ErrorTypeTag ? _errorTypes.Map(text) : LabelValues.Sanitize(text);
            }
            sink.Record(values, value, _onSeriesOverflow);
        }
        catch (Exception)
        {
        }
    }

    private Sink SinkFor(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_layouts.TryGetValue(instrument, out var layouts))
        {
            foreach (var (keys, known) in layouts)
            {
                if (SameKeys(keys, tags)) return known;
            }
        }
        var text = new StringBuilder();
        var tagKeys = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            tagKeys[i] = tags[i].Key;
            text.Append(tags[i].Key).Append('\n');
        }
        var sink = _sinks.GetOrAdd((instrument, text.ToString()), static (key, state) => state.Create(key.Instrument, key.TagKeys), this);
        _layouts.AddOrUpdate(instrument, static (_, added) => [added], static (_, old, added) =>
            old.Length >= MaxLayoutsPerInstrument || old.Any(l => l.Keys.AsSpan().SequenceEqual(added.Keys)) ? old : [.. old, added], (Keys: tagKeys, Sink: sink));
        return sink;
    }

    private static bool SameKeys(string[] keys, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (keys.Length != tags.Length) return false;
        for (var i = 0; i < keys.Length; i++)
        {
            if (!string.Equals(keys[i], tags[i].Key, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    private static string[] Scratch(int length)
    {
        if (length >= 16) return new string[length];
        var byLength = _scratch ??= new string[]?[16];
        return byLength[length] ??= new string[length];
    }

    private static string Text(object? value) => value switch
    {
        string text => text,
        int number when (uint)number < (uint)SmallIntegers.Length => SmallIntegers[number] ??= number.ToString(CultureInfo.InvariantCulture),
        null => "",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private Sink Create(Instrument instrument, string tagKeys)
    {
        var keys = tagKeys.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // prometheus-net wants one label order per metric; tags arrive in any order.
        var order = Enumerable.Range(0, keys.Length).OrderBy(i => keys[i], StringComparer.Ordinal).ToArray();
        var labels = order.Select(i => PrometheusName(keys[i])).ToArray();
        var name = MetricName(instrument);
        var help = string.IsNullOrWhiteSpace(instrument.Description) ? $"{instrument.Meter.Name} {instrument.Name}" : instrument.Description;
        var sink = KindOf(instrument) switch
        {
            Kind.Increment => Sink.Of(order, _factory.CreateCounter(name, help, labels).WithLabels, static (c, v) => c.Inc(v)),
            Kind.Cumulative => Sink.Of(order, _factory.CreateCounter(name, help, labels).WithLabels, static (c, v) => c.IncTo(v)),
            Kind.UpDown => Sink.Of(order, _factory.CreateGauge(name, help, labels).WithLabels, static (g, v) => g.Inc(v)),
            Kind.Histogram => Sink.Of(order,
                _factory.CreateHistogram(name, help, labels, new HistogramConfiguration { Buckets = Buckets(instrument) }).WithLabels,
                static (h, v) => h.Observe(v)),
            _ => Sink.Of(order, _factory.CreateGauge(name, help, labels).WithLabels, static (g, v) => g.Set(v)),
        };
        sink.Bounded = instrument.Meter.Name != RuntimeMeter && !HostMeters.Contains(instrument.Meter.Name, StringComparer.Ordinal);
        return sink;
    }

    /// <summary>The advised buckets, else seconds buckets for <c>s</c>, else powers of two.</summary>
    internal static double[] Buckets(Instrument instrument)
    {
        var advice = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        return advice is { Length: > 0 } ? advice : instrument.Unit == "s" ? SecondsBuckets : Prometheus.Histogram.ExponentialBuckets(1, 2, 16);
    }

    /// <summary>
    /// OpenTelemetry's Prometheus name: '.' and other characters Prometheus does not allow become '_', the unit
    /// follows as a word (<c>s</c> seconds, <c>By</c> bytes, <c>ms</c> milliseconds; annotations such as
    /// <c>{connection}</c> are dropped) and monotonic counters end in <c>_total</c>.
    /// </summary>
    internal static string MetricName(Instrument instrument)
    {
        var name = PrometheusName(instrument.Name);
        var unit = instrument.Unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            _ => null,
        };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal)) name += "_" + unit;
        return KindOf(instrument) is Kind.Increment or Kind.Cumulative && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    internal static string PrometheusName(string otelName)
    {
        var builder = new StringBuilder(otelName.Length);
        foreach (var c in otelName)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (builder.Length == 0 || char.IsAsciiDigit(builder[0])) builder.Insert(0, '_');
        return builder.ToString();
    }

    public void Dispose()
    {
        lock (_disposeLock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _listener.Dispose();
        _providerListener?.Dispose();
    }

    /// <summary>
    /// One instrument with one set of tag keys, and how its measurements reach the Prometheus metric: one cached
    /// child per tag combination (found by value, so a per-thread array can be looked up), at most
    /// <see cref="MaxSeriesPerInstrument"/> of them when <see cref="Bounded"/>.
    /// </summary>
    private sealed class Sink(int[] tagIndexes, Func<string[], Action<double>> child)
    {
        private readonly ConcurrentDictionary<string[], Action<double>> _children = new(LabelArrayComparer.Instance);
        private int _childCount;
        private Action<double>? _other;

        public int[] TagIndexes { get; } = tagIndexes;

        /// <summary>True for the application's and libraries' meters, whose tags the kit does not know.</summary>
        public bool Bounded { get; set; }

        /// <summary>Records on the series of <paramref name="labelValues"/> (not kept: copied when a series is new).</summary>
        public void Record(string[] labelValues, double value, Action onOverflow)
        {
            if (!_children.TryGetValue(labelValues, out var series))
            {
                // A race may admit a few more than the cap; the bound holds within the number of recording threads.
                if (Bounded && Volatile.Read(ref _childCount) >= MaxSeriesPerInstrument)
                {
                    series = _other ??= child(Enumerable.Repeat(TelemetryNames.OtherValue, labelValues.Length).ToArray());
                    onOverflow();
                }
                else
                {
                    var copy = (string[])labelValues.Clone();
                    series = _children.GetOrAdd(copy, child);
                    Interlocked.Increment(ref _childCount);
                }
            }
            series(value);
        }

        /// <summary>A sink whose series are the metric's children (<paramref name="child"/>), each recorded on by <paramref name="record"/>.</summary>
        public static Sink Of<TChild>(int[] order, Func<string[], TChild> child, Action<TChild, double> record) => new(order, labels =>
        {
            var series = child(labels);
            return value => record(series, value);
        });
    }

    /// <summary>Label-value arrays compared by content.</summary>
    private sealed class LabelArrayComparer : IEqualityComparer<string[]>
    {
        public static readonly LabelArrayComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(string[] values)
        {
            var hash = new HashCode();
            foreach (var value in values) hash.Add(value, StringComparer.Ordinal);
            return hash.ToHashCode();
        }
    }
}
