using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Logs;
using Observability.Profiling;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The first log processor: removes what must not leave the process and adds the request's bounded k6 test id.
/// ASP.NET Core's "Request starting …" records carry the raw query in <c>QueryString</c>; application records
/// carry URLs in values and messages. Query values are redacted as on spans (<see cref="Redaction"/>), values
/// of credential-like or header-like attributes and SQL parameters are replaced, SQL text loses its literals.
/// Runs synchronously where the record is written, so it is cheap and never throws.
/// </summary>
internal sealed class LogRecordScrubber(QueryAllowList allowList) : BaseProcessor<LogRecord>
{
    private const string OriginalFormat = "{OriginalFormat}";

    public override void OnEnd(LogRecord data)
    {
        try
        {
            Scrub(data);
        }
        catch (Exception)
        {
            // Fail closed: a record we could not scrub keeps nothing but its level, category and ids.
            data.Attributes = [];
            data.FormattedMessage = null;
            data.Body = "[record dropped by the kit's redaction]";
            data.Exception = null;
        }
    }

    private void Scrub(LogRecord record)
    {
        var attributes = record.Attributes;
        List<KeyValuePair<string, object?>>? rewritten = null;
        var hasTemplate = false;
        var valueHidden = false;
        if (attributes is not null)
        {
            for (var i = 0; i < attributes.Count; i++)
            {
                var (key, value) = attributes[i];
                if (key == OriginalFormat) hasTemplate = true;
                var scrubbed = ScrubValue(key, value, ref valueHidden);
                if (rewritten is null && !ReferenceEquals(scrubbed, value))
                {
                    rewritten = new List<KeyValuePair<string, object?>>(attributes.Count + 1);
                    for (var j = 0; j < i; j++) rewritten.Add(attributes[j]);
                }
                rewritten?.Add(new(key, scrubbed));
            }
        }

        if (LoadTestId() is { } testId)
        {
            rewritten ??= attributes is null ? new List<KeyValuePair<string, object?>>(1) : new List<KeyValuePair<string, object?>>(attributes);
            rewritten.Add(new(TelemetryNames.K6TestIdAttribute, testId));
        }

        if (record.Exception is { } exception && ScrubException(exception) is { } exceptionAttributes)
        {
            rewritten ??= attributes is null ? new List<KeyValuePair<string, object?>>(3) : new List<KeyValuePair<string, object?>>(attributes);
            rewritten.AddRange(exceptionAttributes);
            record.Exception = null;
        }

        if (rewritten is not null) record.Attributes = rewritten;
        if (record.Body is { } body) record.Body = Redaction.RedactQueriesInText(body, allowList);
        if (record.FormattedMessage is { } message)
            // A message formatted from a template embeds the values replaced above; the template and the scrubbed
            // attributes still say everything, so the formatted text goes.
            record.FormattedMessage = hasTemplate && valueHidden ? null : Redaction.RedactQueriesInText(message, allowList);
    }

    private object? ScrubValue(string key, object? value, ref bool valueHidden)
    {
        switch (value)
        {
            case null:
                return null;
            case string text when key == OriginalFormat:
                return text;
            case bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal
                or DateTime or DateTimeOffset or TimeSpan or Guid or Enum:
                return value;
        }
        if (IsHidden(key))
        {
            valueHidden = true;
            return Redaction.Redacted;
        }
        if (IsSqlText(key))
        {
            var sql = value as string ?? value.ToString() ?? "";
            var sanitized = Redaction.SanitizeSql(sql);
            if (string.Equals(sanitized, sql, StringComparison.Ordinal)) return value;
            valueHidden = true;
            return sanitized;
        }
        if (value is Uri uri) return Redaction.RedactUrl(uri, allowList);
        var original = value as string ?? value.ToString() ?? "";
        var redacted = key == "QueryString" ? Redaction.RedactQuery(original, allowList) : Redaction.RedactQueriesInText(original, allowList);
        if (string.Equals(redacted, original, StringComparison.Ordinal)) return value;
        valueHidden = true;
        return redacted;
    }

    // Credential-like names (password, token, Authorization, Cookie, …), header values and SQL parameter lists.
    private static bool IsHidden(string key) =>
        Redaction.IsSecretName(key)
        || key.Equals("Parameters", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("db.query.parameter", StringComparison.Ordinal)
        || key.StartsWith("http.request.header.", StringComparison.Ordinal)
        || key.StartsWith("http.response.header.", StringComparison.Ordinal)
        || key.Equals("Headers", StringComparison.OrdinalIgnoreCase)
        || key.Equals("RequestHeaders", StringComparison.OrdinalIgnoreCase)
        || key.Equals("ResponseHeaders", StringComparison.OrdinalIgnoreCase);

    private static bool IsSqlText(string key) =>
        key.Equals("CommandText", StringComparison.OrdinalIgnoreCase) || key is "db.statement" or "db.query.text" or "sql";

    // The exporter would write exception.message and exception.stacktrace from the exception as it is; when they
    // carry a query, the redacted text is written as the same attributes instead.
    private KeyValuePair<string, object?>[]? ScrubException(Exception exception)
    {
        var text = exception.ToString();
        var redacted = Redaction.RedactQueriesInText(text, allowList);
        if (string.Equals(text, redacted, StringComparison.Ordinal)) return null;
        return
        [
            new("exception.type", exception.GetType().FullName),
            new("exception.message", Redaction.RedactQueriesInText(exception.Message, allowList)),
            new("exception.stacktrace", redacted),
        ];
    }

    // The bounded test id the middleware stored on the server span (the record's span or one of its ancestors).
    private static string? LoadTestId()
    {
        for (var activity = Activity.Current; activity is not null; activity = activity.Parent)
        {
            if (LoadTestLabels.Of(activity) is { } labels)
                return labels.TestId == TelemetryNames.NoValue ? null : labels.TestId;
        }
        return null;
    }
}
