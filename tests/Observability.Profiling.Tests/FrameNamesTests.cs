using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Tests;

/// <summary>Which samples count as CPU: waits are left out, native work of a request stays in.</summary>
public sealed class FrameNamesTests
{
    [Theory]
    [InlineData("System.Threading.Monitor.Wait", true)]
    [InlineData("System.Net.Sockets.SocketAsyncEngine.EventLoop", true)]
    [InlineData("System.Threading.LowLevelLifoSemaphore.WaitForSignal", true)]
    [InlineData("Articles.Api.Data.ArticleRepository.FindAllV1", false)]
    [InlineData("System.Security.Cryptography.RSAOpenSsl.VerifyHash", false)]
    public void Managed_leaf_is_a_wait(string leaf, bool wait)
    {
        Assert.Equal(wait, FrameNames.IsWait(leaf));
    }

    [Theory]
    [InlineData(new[] { "App.Handler", "System.Net.Sockets.Socket.SendAsync", "System.Net.Sockets.SocketPal.TryCompleteSendTo" }, true)]
    [InlineData(new[] { "App.Handler", "System.Net.Sockets.SocketPal.TryCompleteSendTo", FrameNames.Unknown }, true)]
    [InlineData(new[] { "App.Handler", "System.Threading.Thread.Sleep" }, true)]
    [InlineData(new[] { "App.Handler", "Interop+Sys.Read" }, true)]
    [InlineData(new[] { "App.Handler", "Microsoft.IdentityModel.Tokens.AsymmetricAdapter.VerifyUsingSpan", "System.Security.Cryptography.RSAOpenSsl.VerifyHash" }, false)]
    [InlineData(new[] { "App.Handler", "System.IO.Compression.ZLibNative.Deflate" }, false)]
    public void Request_thread_outside_managed_code_is_blocked(string[] rootFirst, bool blocked)
    {
        Assert.Equal(blocked, FrameNames.IsBlockedOutsideManagedCode(rootFirst));
    }
}
