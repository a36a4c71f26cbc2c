using System.Security.Cryptography.X509Certificates;
using InMemoryDb.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace InMemoryDb.Tests.Unit;

/// <summary>
/// Orleans TLS settings: the start-up rule (Redis clustering off loopback needs a certificate), the checks of the
/// certificate files with messages naming the setting at fault, and which remote certificates are trusted.
/// </summary>
public sealed class ClusterTlsTests
{
    private static readonly TestCertificates Certificates = TestCertificates.Shared;

    private static IConfiguration Configuration(params (string Key, string? Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static (string, string?)[] Cluster(params (string Key, string? Value)[] more)
        => [("ConnectionStrings:Redis", "127.0.0.1:1"), ("ConnectionStrings:Postgres", "Host=127.0.0.1;Port=1;Database=unused"), .. more];

    private static void ConfigureSilo(IConfiguration configuration)
        => Host.CreateApplicationBuilder().UseOrleans(silo => silo.AddInMemoryDb(configuration));

    private static string Refusal(params (string Key, string? Value)[] values)
        => Assert.Throws<InvalidOperationException>(() => ConfigureSilo(Configuration(values))).Message;

    private static string TlsProblem(params (string Key, string? Value)[] tls)
        => Assert.Throws<InvalidOperationException>(() => ClusterTls.Load(OrleansTlsSettings.From(Configuration(tls))!)).Message;

    [Theory]
    [InlineData("10.1.2.3", "false")]
    [InlineData("127.0.0.1", "true")]
    public void ARedisClusteredSiloOffLoopbackWithoutACertificateIsRefused(string advertised, string listenOnAny)
    {
        var message = Refusal(Cluster(("Orleans:AdvertisedIP", advertised), ("Orleans:ListenOnAnyHostAddress", listenOnAny)));
        Assert.StartsWith("Orleans:Tls:CertificatePath is not set", message);
        Assert.Contains(listenOnAny == "true" ? "every interface" : advertised, message);
    }

    [Fact]
    public void ARedisClusteredSiloOnLoopbackStartsWithoutACertificate()
    {
        ConfigureSilo(Configuration(Cluster(("Orleans:AdvertisedIP", "127.0.0.1"))));
        ConfigureSilo(Configuration(Cluster(("Orleans:AdvertisedIP", "localhost"))));
    }

    [Fact]
    public void ASiloOffLoopbackStartsWithACertificate()
    {
        ConfigureSilo(Configuration(Cluster(("Orleans:AdvertisedIP", "10.1.2.3"), ("Orleans:ListenOnAnyHostAddress", "true"),
            ("Orleans:Tls:CertificatePath", Certificates.MemberPfxPath), ("Orleans:Tls:CertificatePassword", Certificates.PfxPassword),
            ("Orleans:Tls:CaPath", Certificates.CaPath))));
    }

    [Fact]
    public void TheEmbeddedDefaultNeedsNoTlsSettings()
    {
        Assert.Null(InMemoryDbSettings.From(Configuration()).Tls);
        ConfigureSilo(Configuration());
    }

    [Fact]
    public void SettingsAreReadAndThePasswordIsNeverPrinted()
    {
        var settings = InMemoryDbSettings.From(Configuration(("Orleans:Tls:CertificatePath", "/c.pfx"), ("Orleans:Tls:CertificatePassword", "secret"),
            ("Orleans:Tls:KeyPath", "/k.pem"), ("Orleans:Tls:CaPath", "/ca.pem"))).Tls!;
        Assert.Equal(("/c.pfx", "secret", "/k.pem", "/ca.pem"), (settings.CertificatePath, settings.CertificatePassword, settings.KeyPath, settings.CaPath));
        Assert.DoesNotContain("secret", settings.ToString());
        Assert.DoesNotContain("secret", InMemoryDbSettings.From(Configuration(("Orleans:Tls:CertificatePath", "/c.pfx"), ("Orleans:Tls:CertificatePassword", "secret"))).ToString());
    }

    [Theory]
    [InlineData("Orleans:Tls:KeyPath")]
    [InlineData("Orleans:Tls:CaPath")]
    [InlineData("Orleans:Tls:CertificatePassword")]
    public void AStrayTlsSettingWithoutACertificateIsRefused(string key)
    {
        var message = Assert.Throws<InvalidOperationException>(() => InMemoryDbSettings.From(Configuration((key, "x")))).Message;
        Assert.StartsWith($"{key} is set but Orleans:Tls:CertificatePath is not", message);
    }

    [Fact]
    public void ThePfxAndPemFormsLoad()
    {
        var pfx = ClusterTls.Load(new OrleansTlsSettings { CertificatePath = Certificates.MemberPfxPath, CertificatePassword = Certificates.PfxPassword, CaPath = Certificates.CaPath });
        var pem = ClusterTls.Load(new OrleansTlsSettings { CertificatePath = Certificates.MemberCertificatePath, KeyPath = Certificates.MemberKeyPath, CaPath = Certificates.CaPath });
        Assert.True(pfx.Certificate.HasPrivateKey);
        Assert.True(pem.Certificate.HasPrivateKey);
        Assert.Equal(pfx.Certificate.Thumbprint, pem.Certificate.Thumbprint);
        Assert.Contains("InMemoryDb test CA", pem.Describe());
    }

    [Fact]
    public void WrongFilesAreRefusedNamingTheSetting()
    {
        Assert.Equal("Orleans:Tls:CertificatePath: there is no file at '/nowhere/member.pfx'.",
            TlsProblem(("Orleans:Tls:CertificatePath", "/nowhere/member.pfx")));
        Assert.StartsWith("Orleans:Tls:CertificatePath: '" + Certificates.MemberCertificatePath + "' is a PEM certificate without its private key: set Orleans:Tls:KeyPath",
            TlsProblem(("Orleans:Tls:CertificatePath", Certificates.MemberCertificatePath)));
        Assert.StartsWith("Orleans:Tls:KeyPath: there is no file at",
            TlsProblem(("Orleans:Tls:CertificatePath", Certificates.MemberCertificatePath), ("Orleans:Tls:KeyPath", "/nowhere/member.key")));
        Assert.StartsWith("Orleans:Tls:KeyPath: '" + Certificates.CaPath + "' holds no PEM private key",
            TlsProblem(("Orleans:Tls:CertificatePath", Certificates.MemberCertificatePath), ("Orleans:Tls:KeyPath", Certificates.CaPath)));
        Assert.StartsWith("Orleans:Tls:KeyPath: the private key in '" + Certificates.StrangerKeyPath + "' could not be read, or is not the key of the certificate",
            TlsProblem(("Orleans:Tls:CertificatePath", Certificates.MemberCertificatePath), ("Orleans:Tls:KeyPath", Certificates.StrangerKeyPath)));
        var password = TlsProblem(("Orleans:Tls:CertificatePath", Certificates.MemberPfxPath), ("Orleans:Tls:CertificatePassword", "wrong"));
        Assert.StartsWith("Orleans:Tls:CertificatePath: '" + Certificates.MemberPfxPath + "' is neither a PEM certificate nor a PFX", password);
        Assert.Contains("Orleans:Tls:CertificatePassword", password);
        Assert.StartsWith("Orleans:Tls:KeyPath: is set, but", TlsProblem(("Orleans:Tls:CertificatePath", Certificates.MemberPfxPath),
            ("Orleans:Tls:CertificatePassword", Certificates.PfxPassword), ("Orleans:Tls:KeyPath", Certificates.MemberKeyPath)));
        Assert.StartsWith("Orleans:Tls:CaPath: there is no file at", TlsProblem(("Orleans:Tls:CertificatePath", Certificates.MemberCertificatePath),
            ("Orleans:Tls:KeyPath", Certificates.MemberKeyPath), ("Orleans:Tls:CaPath", "/nowhere/ca.crt")));
        Assert.StartsWith("Orleans:Tls:CaPath: '" + Certificates.MemberKeyPath + "' holds no PEM certificate", TlsProblem(("Orleans:Tls:CertificatePath", Certificates.MemberCertificatePath),
            ("Orleans:Tls:KeyPath", Certificates.MemberKeyPath), ("Orleans:Tls:CaPath", Certificates.MemberKeyPath)));
    }

    [Fact]
    public void CertificatesTheOtherMembersWouldRefuseAreRefusedAtStartUp()
    {
        var otherCa = TlsProblem(("Orleans:Tls:CertificatePath", Certificates.MemberCertificatePath), ("Orleans:Tls:KeyPath", Certificates.MemberKeyPath),
            ("Orleans:Tls:CaPath", Certificates.StrangerCaPath));
        Assert.StartsWith("Orleans:Tls:CertificatePath: the certificate CN=inmemorydb-member", otherCa);
        Assert.Contains("does not chain to a CA in Orleans:Tls:CaPath", otherCa);
        Assert.Contains("is valid from", TlsProblem(("Orleans:Tls:CertificatePath", Certificates.ExpiredCertificatePath), ("Orleans:Tls:KeyPath", Certificates.ExpiredKeyPath)));
        Assert.Contains("does not allow both TLS server and client authentication", TlsProblem(("Orleans:Tls:CertificatePath", Certificates.ServerOnlyPath)));
    }

    [Fact]
    public void ARemoteCertificateIsTrustedWhenItChainsToTheCaOrIsOurOwnWithoutOne()
    {
        using var member = CertificateOnly(Certificates.MemberCertificatePath);
        using var stranger = CertificateOnly(Certificates.StrangerCertificatePath);
        using var ca = CertificateOnly(Certificates.CaPath);

        var withCa = ClusterTls.Load(new OrleansTlsSettings { CertificatePath = Certificates.MemberPfxPath, CertificatePassword = Certificates.PfxPassword, CaPath = Certificates.CaPath });
        Assert.True(withCa.IsTrusted(member));
        Assert.False(withCa.IsTrusted(stranger));

        var withoutCa = ClusterTls.Load(new OrleansTlsSettings { CertificatePath = Certificates.MemberPfxPath, CertificatePassword = Certificates.PfxPassword });
        Assert.True(withoutCa.IsTrusted(member));
        Assert.False(withoutCa.IsTrusted(stranger));
        Assert.False(withoutCa.IsTrusted(ca));
    }

    private static X509Certificate2 CertificateOnly(string pemPath)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(pemPath);
        return Assert.Single(certificates);
    }

    [Fact]
    public void AClientWithAWrongCertificateIsRefusedAtStartUp()
    {
        var configuration = Configuration(("ConnectionStrings:Redis", "127.0.0.1:1"), ("Orleans:Tls:CertificatePath", "/nowhere/member.pfx"));
        var message = Assert.Throws<InvalidOperationException>(() => Host.CreateApplicationBuilder().UseOrleansClient(client => client.AddInMemoryDbClient(configuration))).Message;
        Assert.StartsWith("Orleans:Tls:CertificatePath: there is no file at", message);
    }
}
