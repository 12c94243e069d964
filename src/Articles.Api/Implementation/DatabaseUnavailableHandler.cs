using Microsoft.AspNetCore.Diagnostics;

namespace Articles.Api.Implementation;

/// <summary>Turns a database outage into 503 problem details (with Retry-After) instead of a 500.</summary>
internal sealed class DatabaseUnavailableHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailure.IsUnavailable(exception))
        {
            return false;
        }

        logger.LogWarning("Database unavailable for {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, exception.Message);
        context.Response.Headers.RetryAfter = "5";
        return await problemDetails.WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable,
            "The database is unavailable.", "The service cannot reach its database right now. Retry later.");
    }
}
