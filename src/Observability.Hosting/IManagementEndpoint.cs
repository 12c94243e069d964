namespace Observability.Hosting;

/// <summary>Where the management listener actually listens, once the host has started.</summary>
public interface IManagementEndpoint
{
    /// <summary>The bound port (useful with <c>Management:Port=0</c>); 0 before start or when disabled.</summary>
    int Port { get; }

    /// <summary>Base address such as <c>http://127.0.0.1:9464/</c>; null before start or when disabled.</summary>
    Uri? BaseAddress { get; }
}
