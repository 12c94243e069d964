using Microsoft.AspNetCore.Mvc;

namespace Articles.Api.Implementation;

/// <summary>How the exception handlers answer: a status and problem details in general words, never the exception's text.</summary>
internal static class ProblemAnswer
{
    public static async ValueTask<bool> WriteProblemAsync(
        this IProblemDetailsService problemDetails, HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
