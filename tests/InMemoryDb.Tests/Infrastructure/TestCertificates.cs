using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>
/// Throwaway certificates for Orleans TLS, made at test time (no openssl): a CA and a cluster member certificate it
/// issued (as PEM certificate + key and as a password-protected PFX), and a second CA with a member certificate of its
/// own, which the first cluster must refuse. Written to a temporary folder, deleted when the test process exits.
/// </summary>
public sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> SharedInstance = new(() => Create());

    private TestCertificates(string folder) => Folder = folder;

    /// <summary>The certificates every process test shares.</summary>
    public static TestCertificates Shared => SharedInstance.Value;

    /// <summary>The folder holding the files.</summary>
    public string Folder { get; }

    /// <summary>The cluster's CA certificate (PEM).</summary>
    public string CaPath => Path.Combine(Folder, "ca.crt");

    /// <summary>The member certificate (PEM), issued by the CA.</summary>
    public string MemberCertificatePath => Path.Combine(Folder, "member.crt");

    /// <summary>The member certificate's private key (PEM, PKCS #8).</summary>
    public string MemberKeyPath => Path.Combine(Folder, "member.key");

    /// <summary>The member certificate with its key as a PFX file, encrypted with <see cref="PfxPassword"/>.</summary>
    public string MemberPfxPath => Path.Combine(Folder, "member.pfx");

    /// <summary>The PFX file's password.</summary>
    public string PfxPassword => "test-pfx-password";

    /// <summary>A certificate (PEM) of another CA, with the same subject as the member's.</summary>
    public string StrangerCertificatePath => Path.Combine(Folder, "stranger.crt");

    /// <summary>The stranger certificate's private key (PEM).</summary>
    public string StrangerKeyPath => Path.Combine(Folder, "stranger.key");

    /// <summary>The other CA's certificate (PEM).</summary>
    public string StrangerCaPath => Path.Combine(Folder, "stranger-ca.crt");

    /// <summary>A self-signed certificate with key in a PEM file, whose extended key usage allows TLS server authentication only.</summary>
    public string ServerOnlyPath => Path.Combine(Folder, "server-only.pem");

    /// <summary>An expired member certificate (PEM) of the CA, and its key.</summary>
    public string ExpiredCertificatePath => Path.Combine(Folder, "expired.crt");

    /// <summary>The expired certificate's private key (PEM).</summary>
    public string ExpiredKeyPath => Path.Combine(Folder, "expired.key");

    /// <summary>Environment variables that configure a process with the member certificate as a PFX file.</summary>
    public Dictionary<string, string?> PfxEnvironment() => new()
    {
        ["Orleans__Tls__CertificatePath"] = MemberPfxPath,
        ["Orleans__Tls__CertificatePassword"] = PfxPassword,
        ["Orleans__Tls__CaPath"] = CaPath,
    };

    /// <summary>Environment variables that configure a process with the member certificate and key as PEM files.</summary>
    public Dictionary<string, string?> PemEnvironment() => new()
    {
        ["Orleans__Tls__CertificatePath"] = MemberCertificatePath,
        ["Orleans__Tls__KeyPath"] = MemberKeyPath,
        ["Orleans__Tls__CaPath"] = CaPath,
    };

    /// <summary>Makes a fresh set in a new temporary folder.</summary>
    public static TestCertificates Create()
    {
        var folder = Directory.CreateTempSubdirectory("inmemorydb-certs-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left to the temporary folder's cleaning.
            }
        };
        var certificates = new TestCertificates(folder);
        var now = DateTimeOffset.UtcNow;

        using var ca = Authority("InMemoryDb test CA", now);
        File.WriteAllText(certificates.CaPath, ca.ExportCertificatePem());
        using var member = Member(ca, "inmemorydb-member", now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(certificates.MemberCertificatePath, member.ExportCertificatePem());
        File.WriteAllText(certificates.MemberKeyPath, member.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(certificates.MemberPfxPath, member.Export(X509ContentType.Pfx, certificates.PfxPassword));
        using var expired = Member(ca, "inmemorydb-expired", now.AddDays(-30), now.AddDays(-1));
        File.WriteAllText(certificates.ExpiredCertificatePath, expired.ExportCertificatePem());
        File.WriteAllText(certificates.ExpiredKeyPath, expired.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        using var strangerCa = Authority("InMemoryDb test CA", now);
        File.WriteAllText(certificates.StrangerCaPath, strangerCa.ExportCertificatePem());
        using var stranger = Member(strangerCa, "inmemorydb-member", now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(certificates.StrangerCertificatePath, stranger.ExportCertificatePem());
        File.WriteAllText(certificates.StrangerKeyPath, stranger.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        using var serverOnlyKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverOnlyRequest = new CertificateRequest("CN=server-only", serverOnlyKey, HashAlgorithmName.SHA256);
        serverOnlyRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var serverOnly = serverOnlyRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(certificates.ServerOnlyPath, serverOnly.ExportCertificatePem() + "\n" + serverOnlyKey.ExportPkcs8PrivateKeyPem());
        return certificates;
    }

    private static X509Certificate2 Authority(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now.AddDays(-40), now.AddDays(60));
    }

    private static X509Certificate2 Member(X509Certificate2 authority, string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        // Not disposed: the certificate returned holds this key.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        // Every member is a TLS server (inbound connections) and a TLS client (outbound ones).
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issued = request.Create(authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }
}
