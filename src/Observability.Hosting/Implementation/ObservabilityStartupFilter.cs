using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Observability.Hosting.Implementation;

/// <summary>Puts <see cref="ObservabilityMiddleware"/> first in the public pipeline, so Program.cs needs no Use… line.</summary>
internal sealed class ObservabilityStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<ObservabilityMiddleware>();
        next(app);
    };
}
