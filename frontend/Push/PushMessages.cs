using Jacameno.Frontend.Http;
using Jacameno.Marketplace;
using Jacameno.Push;
using Jacameno.Storage.Push;
using Jacameno.Streaming;
using Jacameno.Users;

namespace Jacameno.Frontend.Push;

/// <summary>
/// The words of each push, made when it is sent (so a renamed release or display name reads as it is now), as the
/// recipient may see them: names and titles are asked for as the recipient, and a push whose subject they may no
/// longer see says less rather than nothing. English, in this one place, like the mails.
/// </summary>
public sealed class PushMessages(IGrainFactory grains)
{
    public async Task<PushContent> ContentAsync(PushEvent e)
    {
        var actor = e.ActorId is { } a ? await NameAsync(a) : null;
        var who = actor ?? "Someone";
        var (title, body, url) = e.Topic switch
        {
            PushTopic.Follow => ("New follower", $"{who} followed you", $"/users/{e.ActorId}"),
            PushTopic.Like => ("New like", $"{who} liked {await ReleaseAsync(e)}", ReleaseUrl(e)),
            PushTopic.Comment => ("New comment", $"{who} commented on {await ReleaseAsync(e)}", ReleaseUrl(e)),
            PushTopic.Repost => ("New repost", $"{who} reposted {await ReleaseAsync(e)}", ReleaseUrl(e)),
            PushTopic.Release => ("New release", $"{who} released {await ReleaseAsync(e)}", ReleaseUrl(e)),
            PushTopic.Sale => ("Sale", $"{who} bought a license to {await ListingAsync(e)}", $"/market/seller"),
            PushTopic.JobFinished => Job(e.Detail),
            PushTopic.ProjectInvitation => ("Project invitation", $"{who} invited you to {Quoted(e.Detail) ?? "a project"}; the link is in your mail", "/projects"),
            _ => ("Jacameno", "Something happened", "/"),
        };
        return new PushContent(e.Id, ApiEnums.Name(e.Topic), title, body, url);
    }

    private static string ReleaseUrl(PushEvent e) => e.SubjectId is { } id ? $"/releases/{id}" : "/";

    private static (string, string, string) Job(string? detail)
    {
        var (kind, status) = detail?.Split(':') is [var k, var s] ? (k, s) : ("A", "Finished");
        var what = kind switch
        {
            "Render" => "Your render",
            "Analysis" => "Your analysis",
            "Mastering" => "Your mastering",
            "Mix" => "Your auto-mix",
            "Lyrics" => "Your lyrics",
            "Release" => "Your release",
            "ListingFiles" => "Your listing's files",
            "AccountExport" => "Your account export",
            _ => "Your job",
        };
        return status == nameof(Jacameno.Jobs.JobStatus.Succeeded) ? ("Done", $"{what} is ready", "/projects") : ("Failed", $"{what} failed", "/projects");
    }

    private async Task<string?> NameAsync(Guid userId)
    {
        try
        {
            return (await grains.GetGrain<IUserGrain>(userId).GetProfileAsync()).DisplayName;
        }
        catch (Common.DomainException)
        {
            return null;
        }
    }

    private async Task<string> ReleaseAsync(PushEvent e)
    {
        try
        {
            return e.SubjectId is { } id ? Quoted((await grains.GetGrain<IReleaseGrain>(id).GetAsync(new ReleaseViewer(e.UserId))).Title)! : "a release";
        }
        catch (Common.DomainException)
        {
            return "a release";
        }
    }

    private async Task<string> ListingAsync(PushEvent e)
    {
        try
        {
            return e.SubjectId is { } id ? Quoted((await grains.GetGrain<IListingGrain>(id).GetAsync(e.UserId)).Title)! : "a listing";
        }
        catch (Common.DomainException)
        {
            return "a listing";
        }
    }

    private static string? Quoted(string? text) => text is null ? null : $"“{(text.Length > 80 ? text[..80] + "…" : text)}”";
}
