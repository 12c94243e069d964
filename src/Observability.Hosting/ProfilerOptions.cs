namespace Observability.Hosting;

/// <summary>The always-on profiler as configured through the hosting package.</summary>
public sealed class ProfilerOptions
{
    /// <summary>On by default: the debug endpoints work without a server; pushing needs <see cref="ServerAddress"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Pyroscope base address (<c>PYROSCOPE_SERVER_ADDRESS</c>); without it nothing is pushed.</summary>
    public Uri? ServerAddress { get; set; }

    /// <summary>Application name (<c>PYROSCOPE_APPLICATION_NAME</c>); defaults to the service name.</summary>
    public string? ApplicationName { get; set; }

    /// <summary>Static series labels (<c>PYROSCOPE_LABELS</c>, <c>k1:v1,k2:v2</c>).</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Basic-auth user (<c>PYROSCOPE_BASIC_AUTH_USER</c>).</summary>
    public string? BasicAuthUser { get; set; }

    /// <summary>Basic-auth password (<c>PYROSCOPE_BASIC_AUTH_PASSWORD</c>).</summary>
    public string? BasicAuthPassword { get; set; }

    /// <summary>Tenant sent as <c>X-Scope-OrgID</c> (<c>PYROSCOPE_TENANT_ID</c>).</summary>
    public string? TenantId { get; set; }
}
