using System.Security.Cryptography;

namespace Articles.Api.Tests.Infrastructure;

/// <summary>RSA keys made once per test run: the service's key and an unrelated one for "wrong key" cases.</summary>
public static class TestKeys
{
    private static readonly RSA Service = RSA.Create(2048);
    private static readonly RSA Other = RSA.Create(2048);

    public static RSA ServiceRsa => Service;

    public static RSA OtherRsa => Other;

    public static string ServiceRsaPem { get; } = Service.ExportPkcs8PrivateKeyPem();

    public static string ServicePublicKeyPem { get; } = Service.ExportSubjectPublicKeyInfoPem();
}
