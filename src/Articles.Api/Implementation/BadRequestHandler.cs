using Microsoft.AspNetCore.Diagnostics;

namespace Articles.Api.Implementation;

/// <summary>
/// A request the framework could not read (malformed JSON, body too large) keeps its 4xx status with a short
/// problem body; in Development the framework throws these instead of answering 400 itself.
/// </summary>
internal sealed class BadRequestHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        return await problemDetails.WriteProblemAsync(context, bad.StatusCode,
            "The request could not be read.", "Check the JSON body and the parameters against the API description.");
    }
}
