using System.Security.Cryptography;
using System.Text;

namespace Firebreak.Identity;

/// <summary>
/// A bearer token. Only its SHA-256 hash is stored: tokens carry 256 random bits, so a fast hash
/// is enough (no password stretching needed) and lookup stays one indexed read.
/// </summary>
public sealed class ApiToken
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Hash { get; set; }
    /// <summary>The first characters, shown in listings so a person can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public int? PersonId { get; set; }
    public Person? Person { get; set; }
    /// <summary>Set for tokens that belong to an integration (Alertmanager, CI) rather than a person.</summary>
    public string? Integration { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public const string SecretPrefix = "fb_";

    public static string NewSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>One write, attributed: who did what to which record, and when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public int? ActorPersonId { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public string? Detail { get; set; }
}
