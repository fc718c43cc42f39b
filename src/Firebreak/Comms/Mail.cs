using Firebreak.OnCall;

namespace Firebreak.Comms;

/// <summary>Sends one plain-text email through the configured SMTP server (MailKit).</summary>
public static class Mail
{
    public static async Task SendAsync(SmtpOptions smtp, string to, string subject, string body,
        IReadOnlyDictionary<string, string> headers, CancellationToken ct)
    {
        if (smtp.Host is not { } host) throw new InvalidOperationException("no SMTP server configured (Firebreak:Paging:Smtp:Host)");
        var message = new MimeKit.MimeMessage();
        message.From.Add(MimeKit.MailboxAddress.Parse(smtp.From));
        message.To.Add(MimeKit.MailboxAddress.Parse(to));
        message.Subject = subject;
        foreach (var (name, value) in headers) message.Headers.Add(name, value);
        message.Body = new MimeKit.TextPart("plain") { Text = body };
        using var client = new MailKit.Net.Smtp.SmtpClient();
        var security = smtp.Security == "none" ? MailKit.Security.SecureSocketOptions.None : MailKit.Security.SecureSocketOptions.Auto;
        await client.ConnectAsync(host, smtp.Port, security, ct);
        if (smtp.Username is { } user) await client.AuthenticateAsync(user, smtp.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}
