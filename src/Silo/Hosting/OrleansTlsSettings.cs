using System.Text;
using Microsoft.Extensions.Configuration;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Where the cluster member's TLS certificate and the cluster's CA are (<c>Orleans:Tls:*</c>). Silos and clients read
/// the same settings; <see cref="ClusterTls.Load"/> loads and checks the files at start-up.
/// </summary>
public sealed record OrleansTlsSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Orleans:Tls";

    /// <summary>
    /// This member's certificate (<c>Orleans:Tls:CertificatePath</c>): a PFX (PKCS #12) file with its private key, or a
    /// PEM certificate whose private key is in <see cref="KeyPath"/> (or in the same PEM file). It is presented both as
    /// a TLS server (inbound silo and gateway connections) and as a TLS client (outbound connections), so an Extended
    /// Key Usage extension, if any, must allow both.
    /// </summary>
    public required string CertificatePath { get; init; }

    /// <summary>The PEM private key of a PEM certificate (<c>Orleans:Tls:KeyPath</c>); null: in the certificate's file.</summary>
    public string? KeyPath { get; init; }

    /// <summary>
    /// The password of a PFX file, or of an encrypted PEM private key (<c>Orleans:Tls:CertificatePassword</c>); null: none.
    /// Never printed.
    /// </summary>
    public string? CertificatePassword { get; init; }

    /// <summary>
    /// A PEM file of the CA certificate(s) that issued every cluster member's certificate (<c>Orleans:Tls:CaPath</c>).
    /// A remote certificate is accepted when it chains to one of them (custom root trust, no revocation check). Null: a
    /// remote certificate is accepted only if it is this member's own certificate (every member shares one).
    /// </summary>
    public string? CaPath { get; init; }

    /// <summary>Reads the settings; null when <c>Orleans:Tls:CertificatePath</c> is not set (and nothing else under it is).</summary>
    public static OrleansTlsSettings? From(IConfiguration configuration)
    {
        var certificate = Value(configuration, "CertificatePath");
        var key = Value(configuration, "KeyPath");
        var password = Value(configuration, "CertificatePassword");
        var ca = Value(configuration, "CaPath");
        if (certificate is not null)
        {
            return new OrleansTlsSettings { CertificatePath = certificate, KeyPath = key, CertificatePassword = password, CaPath = ca };
        }
        var stray = key is not null ? "KeyPath" : ca is not null ? "CaPath" : password is not null ? "CertificatePassword" : null;
        return stray is null
            ? null
            : throw new InvalidOperationException(
                $"{Section}:{stray} is set but {Section}:CertificatePath is not: set the cluster member's certificate too, or remove {Section}:{stray}.");
    }

    private static string? Value(IConfiguration configuration, string name)
        => configuration[$"{Section}:{name}"] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    // The generated ToString would print the password.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CertificatePath = ").Append(CertificatePath)
            .Append(", KeyPath = ").Append(KeyPath)
            .Append(", CertificatePassword = ").Append(CertificatePassword is null ? "" : "***")
            .Append(", CaPath = ").Append(CaPath);
        return true;
    }
}
