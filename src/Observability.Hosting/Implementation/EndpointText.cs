namespace Observability.Hosting.Implementation;

/// <summary>How the kit's log lines write an export endpoint: scheme, host, port and path, never user info or a query (either may carry a credential).</summary>
internal static class EndpointText
{
    public static string Safe(Uri uri) =>
        uri.IsAbsoluteUri ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(relative URL)";
}
