using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace InMemoryDb.SampleClient;

/// <summary>
/// Mutual TLS to a cluster whose silos set <c>Orleans:Tls:*</c> (the cluster deployment does): this service presents
/// its certificate (issued by the cluster's CA) and accepts a silo only if the silo's certificate chains to that CA.
/// The same keys as the silos': <c>Orleans:Tls:CertificatePath</c> (PFX, or PEM with <c>Orleans:Tls:KeyPath</c>),
/// <c>Orleans:Tls:CertificatePassword</c> (PFX), <c>Orleans:Tls:CaPath</c> (PEM; unset: accept only the same certificate).
/// </summary>
internal static class ClusterTls
{
    public static IClientBuilder UseClusterTls(this IClientBuilder client, IConfiguration configuration)
    {
        if (configuration["Orleans:Tls:CertificatePath"] is not { Length: > 0 } path) return client;
        var certificate = configuration["Orleans:Tls:KeyPath"] is { Length: > 0 } key
            ? X509Certificate2.CreateFromPemFile(path, key)
            : X509CertificateLoader.LoadPkcs12FromFile(path, configuration["Orleans:Tls:CertificatePassword"]);
        X509Certificate2Collection? authorities = null;
        if (configuration["Orleans:Tls:CaPath"] is { Length: > 0 } ca)
        {
            authorities = [];
            authorities.ImportFromPemFile(ca);
        }
        return client.UseTls(certificate, tls =>
        {
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (remote, _, _) =>
            {
                if (authorities is null) return remote.RawData.AsSpan().SequenceEqual(certificate.RawData);
                // Trust the cluster's CA only (not the machine's store); silos are reached by IP, so no host name check.
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(remote);
            };
        });
    }
}
