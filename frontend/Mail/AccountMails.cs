using System.Net;
using System.Text;
using Jacameno.Hosting;
using Jacameno.Storage.Mail;

namespace Jacameno.Frontend.Mail;

/// <summary>
/// Every mail the platform sends, worded in one place. Each is a greeting, paragraphs and at most one link, made
/// into the plain-text and the HTML part from the same words (user text is escaped in the HTML), with links on the
/// site's public address (<c>Jacameno:PublicUrl</c>).
/// </summary>
public sealed class AccountMails(IConfiguration configuration)
{
    private readonly Uri publicUrl = configuration.GetJacamenoOptions().PublicUrl;

    /// <summary>A page of the web app on the public address, with a token when the link carries one.</summary>
    public string Link(string path, string? token = null) =>
        new Uri(publicUrl, token is null ? path : $"{path}?token={Uri.EscapeDataString(token)}").ToString();

    public MailMessage VerifyEmail(string to, string name, string token) => Compose(to, "Confirm your email for Jacameno", name,
        ["Confirm that this is your email address by opening this link within two days:"],
        ("Confirm my email", Link("/verify-email", token)),
        ["If you did not sign up for Jacameno, ignore this mail."]);

    public MailMessage SignUpAttempt(string to, string name) => Compose(to, "Someone tried to sign up with your address", name,
        ["Someone tried to create a Jacameno account with this address, which already has one. If it was you, sign in instead:"],
        ("Sign in", Link("/signin")),
        ["If it was not you, you need not do anything; your account is unchanged."]);

    public MailMessage ResetPassword(string to, string name, string token) => Compose(to, "Reset your Jacameno password", name,
        ["Someone (we hope you) asked to reset the password of your account. Choose a new one within 30 minutes with this link:"],
        ("Choose a new password", Link("/reset-password", token)),
        ["Using it signs you out everywhere. If you did not ask for it, ignore this mail: your password is unchanged."]);

    public MailMessage ConfirmNewEmail(string to, string name, string token) => Compose(to, "Confirm your new email for Jacameno", name,
        ["You asked to sign in to Jacameno with this address from now on. Confirm it within two days with this link:"],
        ("Confirm the new address", Link("/confirm-email", token)),
        ["Until you do, your account keeps its old address. If you did not ask for this, ignore this mail."]);

    public MailMessage EmailChangeNotice(string to, string name, string newAddress) => Compose(to, "Your Jacameno email is being changed", name,
        [$"Someone signed in to your account asked to change its address to {newAddress}. It changes once that address confirms it.",
            "If it was not you, change your password now: that ends every session, and the pending change with it."],
        ("Sign in", Link("/signin")),
        []);

    public MailMessage DeletionScheduled(string to, string name, DateTimeOffset due) => Compose(to, "Your Jacameno account will be deleted", name,
        [$"You asked to delete your account. On {due:u} your releases, listings, projects and uploads are erased, and you are signed out everywhere now.",
            "Changed your mind? Sign in before then and the account stays as it is."],
        ("Sign in to keep the account", Link("/signin")),
        []);

    public MailMessage ProjectClosing(string to, string name, string owner, string project, DateTimeOffset due) => Compose(to,
        $"\"{project}\" will be deleted on {due:yyyy-MM-dd}", name,
        [$"{owner} is deleting their account, and with it the project \"{project}\" you work on, on {due:u}.",
            "Fork the project before then to keep your own copy of it."],
        ("Open your projects", Link("/projects")),
        []);

    public MailMessage ModerationNotice(string to, string name, string what, string reason) => Compose(to, what, name,
        [$"{what}. The moderator's reason: {reason}", "If you think this is a mistake, answer through the help page; a person reads every appeal."],
        ("Your account", Link("/settings")),
        []);

    public MailMessage ProjectInvitation(string to, string inviter, string project, string role, string token) => Compose(to,
        $"{inviter} invited you to \"{project}\" on Jacameno", null,
        [$"{inviter} invited you to the project \"{project}\" as {role}.",
            "Open this link within two weeks to join; sign in (or sign up) with this address first:"],
        ("Join the project", Link("/invitations/accept", token)),
        []);

    private static MailMessage Compose(string to, string subject, string? name, string[] before, (string Label, string Url) action, string[] after)
    {
        var text = new StringBuilder();
        var html = new StringBuilder();
        if (name is not null)
        {
            text.Append("Hi ").Append(name).Append(",\n\n");
            html.Append("<p>Hi ").Append(WebUtility.HtmlEncode(name)).Append(",</p>");
        }

        foreach (var paragraph in before)
        {
            text.Append(paragraph).Append("\n\n");
            html.Append("<p>").Append(WebUtility.HtmlEncode(paragraph)).Append("</p>");
        }

        text.Append(action.Url).Append("\n\n");
        html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(action.Url)).Append("\">").Append(WebUtility.HtmlEncode(action.Label)).Append("</a></p>");
        foreach (var paragraph in after)
        {
            text.Append(paragraph).Append("\n\n");
            html.Append("<p>").Append(WebUtility.HtmlEncode(paragraph)).Append("</p>");
        }

        return new MailMessage(to, subject, text.ToString().TrimEnd() + "\n", html.ToString());
    }
}
