using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Mutual TLS between the members of a cluster (silos and their clients): this member's certificate, and which remote
/// certificates it accepts — those that chain to the configured CA, or, without a CA, only its own certificate. The
/// files are loaded and checked once at start-up (<see cref="Load"/>), so a wrong setting stops the process with a
/// message that names it rather than failing every connection later.
/// </summary>
public sealed class ClusterTls
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private const string Section = OrleansTlsSettings.Section;

    private ClusterTls(X509Certificate2 certificate, X509Certificate2Collection? authorities)
    {
        Certificate = certificate;
        Authorities = authorities;
    }

    /// <summary>This member's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificates a remote certificate must chain to; null: only <see cref="Certificate"/> itself is accepted.</summary>
    public X509Certificate2Collection? Authorities { get; }

    /// <summary>
    /// Loads and checks the certificate, its key and the CA. Throws <see cref="InvalidOperationException"/> naming the
    /// setting at fault: a missing or unreadable file, no private key, a key that does not match, a certificate that
    /// is expired, not usable as both TLS server and client, or not issued by the configured CA.
    /// </summary>
    public static ClusterTls Load(OrleansTlsSettings settings)
    {
        var certificate = LoadCertificate(settings);
        var now = DateTime.Now;
        if (now > certificate.NotAfter || now < certificate.NotBefore)
        {
            throw Invalid("CertificatePath",
                $"the certificate {certificate.Subject} in '{settings.CertificatePath}' is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}, not now.");
        }
        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usage)
        {
            var usages = usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToHashSet();
            if (!usages.Contains(ServerAuthentication) || !usages.Contains(ClientAuthentication))
            {
                throw Invalid("CertificatePath",
                    $"the certificate {certificate.Subject} in '{settings.CertificatePath}' does not allow both TLS server and client authentication " +
                    "(extended key usages serverAuth and clientAuth): every cluster member is a TLS server for inbound connections and a client for outbound ones.");
            }
        }

        var authorities = settings.CaPath is { } caPath ? LoadAuthorities(caPath) : null;
        var tls = new ClusterTls(certificate, authorities);
        if (authorities is not null && !tls.ChainsToAuthorities(certificate, null, out var status))
        {
            throw Invalid("CertificatePath",
                $"the certificate {certificate.Subject} in '{settings.CertificatePath}' does not chain to a CA in {Section}:CaPath '{settings.CaPath}' ({status}): " +
                "the other members would refuse it.");
        }
        return tls;
    }

    /// <summary>
    /// With Redis clustering and no TLS, only a silo on loopback may start: its silo and gateway ports would otherwise
    /// accept any Orleans client (which can call every grain, bypassing the HTTP edge's checks).
    /// Throws <see cref="InvalidOperationException"/> naming <c>Orleans:Tls:CertificatePath</c> when the endpoint is reachable from elsewhere.
    /// </summary>
    public static void RequireLoopbackWithoutTls(IPAddress advertised, bool listenOnAnyHostAddress)
    {
        if (!listenOnAnyHostAddress && IPAddress.IsLoopback(advertised)) return;
        var where = listenOnAnyHostAddress ? "on every interface (Orleans:ListenOnAnyHostAddress)" : $"on {advertised} (Orleans:AdvertisedIP)";
        throw new InvalidOperationException(
            $"{Section}:CertificatePath is not set, and this silo would listen {where}: its silo and gateway ports would accept any " +
            $"Orleans client without credentials. Set {Section}:CertificatePath (with {Section}:KeyPath for a PEM key) and {Section}:CaPath " +
            "on every silo and client of the cluster (docs/operations/security.md), or advertise a loopback address (127.0.0.1) for a cluster on one machine.");
    }

    /// <summary>Mutual TLS: this member's certificate is presented both ways and a remote certificate is required and checked.</summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.CheckCertificateRevocation = false;
        options.RemoteCertificateValidation = (certificate, chain, _) => IsTrusted(certificate, chain);
    }

    /// <summary>
    /// True when a remote certificate is one of the cluster's: it chains to a configured CA (the platform's trust store
    /// and host names play no part: members are reached by IP address), or, without a CA, it is this member's own.
    /// </summary>
    public bool IsTrusted(X509Certificate2 remote, X509Chain? presented = null)
        => Authorities is null
            ? remote.RawData.AsSpan().SequenceEqual(Certificate.RawData)
            : ChainsToAuthorities(remote, presented, out _);

    /// <summary>One line for the start-up log.</summary>
    public string Describe()
        => $"certificate {Certificate.Subject} (SHA-256 {Certificate.GetCertHashString(HashAlgorithmName.SHA256)}, valid until {Certificate.NotAfter.ToUniversalTime():u}); " +
           (Authorities is null
               ? "accepting only this same certificate from the other members"
               : $"accepting certificates issued by {string.Join(", ", Authorities.Select(a => a.Subject))}");

    private bool ChainsToAuthorities(X509Certificate2 certificate, X509Chain? presented, out string status)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities!);
        chain.ChainPolicy.ExtraStore.AddRange(Authorities!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Intermediate certificates the peer sent with its own.
        if (presented is not null) chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        var trusted = chain.Build(certificate);
        status = trusted ? "" : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return trusted;
    }

    private static X509Certificate2 LoadCertificate(OrleansTlsSettings settings)
    {
        var content = Read("CertificatePath", settings.CertificatePath);
        return Text(content).Contains("-----BEGIN", StringComparison.Ordinal) ? LoadPem(settings, Text(content)) : LoadPfx(settings, content);
    }

    private static X509Certificate2 LoadPfx(OrleansTlsSettings settings, byte[] content)
    {
        var path = settings.CertificatePath;
        if (settings.KeyPath is not null)
        {
            throw Invalid("KeyPath", $"is set, but '{path}' ({Section}:CertificatePath) is not a PEM certificate: a PFX file holds its own key; remove {Section}:KeyPath, or use a PEM certificate.");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(content, settings.CertificatePassword);
        }
        catch (CryptographicException e)
        {
            throw Invalid("CertificatePath",
                $"'{path}' is neither a PEM certificate nor a PFX (PKCS #12) file that opens with " +
                $"{(settings.CertificatePassword is null ? $"no password (set {Section}:CertificatePassword if it has one)" : $"{Section}:CertificatePassword")}: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
        {
            throw Invalid("CertificatePath", $"the certificate {certificate.Subject} in '{path}' has no private key: use a PFX file that includes it.");
        }
        return certificate;
    }

    private static X509Certificate2 LoadPem(OrleansTlsSettings settings, string certificateText)
    {
        var path = settings.CertificatePath;
        if (!certificateText.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw Invalid("CertificatePath", $"'{path}' is a PEM file without a certificate (no BEGIN CERTIFICATE block).");
        }
        var keySetting = settings.KeyPath is null ? "CertificatePath" : "KeyPath";
        var keyPath = settings.KeyPath ?? path;
        var keyText = settings.KeyPath is null ? certificateText : Text(Read(keySetting, keyPath));
        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw settings.KeyPath is null
                ? Invalid("CertificatePath", $"'{path}' is a PEM certificate without its private key: set {Section}:KeyPath to the PEM file of its private key.")
                : Invalid("KeyPath", $"'{keyPath}' holds no PEM private key (no BEGIN … PRIVATE KEY block).");
        }
        var encrypted = keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (encrypted && settings.CertificatePassword is null)
        {
            throw Invalid(keySetting, $"the private key in '{keyPath}' is encrypted: set {Section}:CertificatePassword to its password.");
        }
        try
        {
            return encrypted
                ? X509Certificate2.CreateFromEncryptedPem(certificateText, keyText, settings.CertificatePassword)
                : X509Certificate2.CreateFromPem(certificateText, keyText);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Invalid(keySetting, $"the private key in '{keyPath}' could not be read, or is not the key of the certificate in '{path}': {e.Message}", e);
        }
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var text = Text(Read("CaPath", path));
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            throw Invalid("CaPath", $"'{path}' could not be read as PEM certificates: {e.Message}", e);
        }
        return authorities.Count > 0
            ? authorities
            : throw Invalid("CaPath", $"'{path}' holds no PEM certificate (no BEGIN CERTIFICATE block).");
    }

    private static byte[] Read(string setting, string path)
    {
        if (!File.Exists(path)) throw Invalid(setting, $"there is no file at '{path}'.");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(setting, $"'{path}' could not be read: {e.Message}", e);
        }
    }

    private static string Text(byte[] content) => System.Text.Encoding.UTF8.GetString(content);

    private static InvalidOperationException Invalid(string setting, string problem, Exception? inner = null)
        => new($"{Section}:{setting}: {problem}", inner);
}
