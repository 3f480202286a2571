using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jacameno.Assets;

namespace Jacameno.Frontend.Sharing;

/// <summary>One track of an embedded player: what it shows, and the API paths it plays and counts through.</summary>
public sealed record EmbedTrack(string Title, string Artist, double? Duration, string PageUrl, string? Artwork, string Stream, string Peaks, string Plays);

/// <summary>
/// The embeddable player: one self-contained page (inline style and script, no framework, no cookies or storage),
/// so it runs in <c>&lt;iframe sandbox="allow-scripts"&gt;</c>, where its origin is opaque and its requests are
/// cross-origin (the three API routes it calls allow that: <see cref="SharingEndpoints.EmbedCors"/>). It plays the
/// public stream URLs and counts plays exactly as the web app's player does: start a play, report it again after
/// <c>countAfterSeconds</c> of listening.
/// </summary>
public static class EmbedPage
{
    public static EmbedTrack Track(Guid releaseId, string title, string artist, double? duration, bool hasArtwork, string pageUrl, string secretQuery)
    {
        var and = secretQuery.Length > 0 ? "&" + secretQuery[1..] : "";
        // About 600 points across, whatever the length: the embed draws bars, not the full detail.
        var perPixel = Math.Max(1, (int)Math.Ceiling((duration ?? 0) * 48_000 / 600 / IAssetGrain.PeaksSamplesPerPixel)) * IAssetGrain.PeaksSamplesPerPixel;
        return new EmbedTrack(title, artist, duration, pageUrl, hasArtwork ? $"/api/releases/{releaseId}/artwork?size=300{and}" : null,
            $"/api/releases/{releaseId}/stream{secretQuery}", $"/api/releases/{releaseId}/peaks?format=json&samplesPerPixel={perPixel}{and}",
            $"/api/releases/{releaseId}/plays{secretQuery}");
    }

    /// <summary>A fresh nonce for the page's one style and one script element.</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    public static string Render(string heading, IReadOnlyList<EmbedTrack> tracks, string siteUrl, string nonce)
    {
        var html = PageShell.Html;
        var first = tracks.Count > 0 ? tracks[0] : null;
        var page = new StringBuilder();
        page.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<meta name=\"robots\" content=\"noindex\" />\n")
            .Append("<title>").Append(html.Encode(heading)).Append(" | ").Append(PageShell.SiteName).Append("</title>\n")
            .Append("<style nonce=\"").Append(nonce).Append("\">").Append(Style).Append("</style>\n</head>\n<body>\n<main class=\"player\">\n")
            .Append("<img id=\"art\" class=\"art\" alt=\"\"").Append(first?.Artwork is { } art ? $" src=\"{html.Encode(art)}\"" : " hidden").Append(" />\n")
            .Append("<div class=\"body\">\n<div class=\"top\">\n<button id=\"play\" type=\"button\" aria-label=\"Play\"")
            .Append(first is null ? " disabled" : "").Append(">&#9654;</button>\n<div class=\"names\">\n")
            .Append("<a id=\"title\" target=\"_blank\" rel=\"noopener\" href=\"").Append(html.Encode(first?.PageUrl ?? siteUrl)).Append("\">")
            .Append(html.Encode(first?.Title ?? heading)).Append("</a>\n<div id=\"artist\" class=\"muted\">")
            .Append(html.Encode(first?.Artist ?? "This playlist is empty.")).Append("</div>\n</div>\n</div>\n")
            .Append("<canvas id=\"wave\" width=\"600\" height=\"64\" aria-label=\"Waveform\"></canvas>\n")
            .Append("<div class=\"foot\"><span id=\"time\">0:00</span><span id=\"error\" class=\"muted\"></span>")
            .Append("<a target=\"_blank\" rel=\"noopener\" href=\"").Append(html.Encode(siteUrl)).Append("\">").Append(PageShell.SiteName).Append("</a></div>\n</div>\n</main>\n");
        if (tracks.Count > 1)
        {
            page.Append("<ol id=\"tracks\" class=\"tracks\">\n");
            for (var i = 0; i < tracks.Count; i++)
            {
                page.Append("<li><button type=\"button\" data-index=\"").Append(i).Append("\">").Append(html.Encode(tracks[i].Title))
                    .Append(" <span class=\"muted\">").Append(html.Encode(tracks[i].Artist)).Append("</span></button></li>\n");
            }

            page.Append("</ol>\n");
        }

        page.Append("<script type=\"application/json\" id=\"embed-data\">").Append(JsonSerializer.Serialize(new { tracks }, PageShell.ScriptJson)).Append("</script>\n")
            .Append("<script nonce=\"").Append(nonce).Append("\">").Append(Script).Append("</script>\n</body>\n</html>\n");
        return page.ToString();
    }

    public static string NotAvailable(string nonce) =>
        $"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\" /><meta name=\"robots\" content=\"noindex\" /><title>{PageShell.SiteName}</title>"
        + $"<style nonce=\"{nonce}\">{Style}</style></head><body><main class=\"player\"><p class=\"muted\">This is not available.</p></main></body></html>\n";

    private const string Style = """
        :root{color-scheme:dark;font:14px/1.35 system-ui,sans-serif;background:#15151c;color:#eee}
        body{margin:0}a{color:inherit}.muted{color:#9a9aa8}
        .player{display:flex;gap:12px;padding:12px;align-items:stretch}
        .art{width:140px;height:140px;object-fit:cover;border-radius:4px;flex:none}
        .body{flex:1;min-width:0;display:flex;flex-direction:column;gap:8px}
        .top{display:flex;gap:10px;align-items:center}
        .names{min-width:0}.names a,.names div{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        #title{font-weight:600;text-decoration:none;font-size:16px}
        #play{width:44px;height:44px;border-radius:50%;border:0;background:#f0a030;color:#15151c;font-size:18px;cursor:pointer;flex:none}
        #play:disabled{opacity:.4;cursor:default}
        #wave{width:100%;height:64px;cursor:pointer}
        .foot{display:flex;gap:10px;justify-content:space-between;font-size:12px}
        .tracks{margin:0;padding:0 12px 12px 36px}.tracks button{all:unset;cursor:pointer;display:block;padding:3px 0}
        .tracks li.current button{color:#f0a030}
        @media (max-width:420px){.art{width:80px;height:80px}}
        """;

    // The web app's player, in plain script: ask for signed stream URLs (Opus, else AAC, else MP3), start a play,
    // report it after countAfterSeconds of listening (a seek is not listening), ask again for a URL that expired.
    private const string Script = """
        (() => {
          "use strict";
          const { tracks } = JSON.parse(document.getElementById("embed-data").textContent);
          const $ = (id) => document.getElementById(id);
          const audio = new Audio();
          const canvas = $("wave"), ctx = canvas.getContext("2d");
          let index = 0, loaded = -1, play = null, last = 0, bars = [], retried = false;
          const time = (s) => { s = Math.max(0, Math.floor(s || 0)); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); };
          const say = (text) => { $("error").textContent = text; };
          async function ask(url, body) {
            const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
            const response = await fetch(url, init);
            if (!response.ok) throw new Error(response.status === 409 ? "Not ready yet." : "Could not load (" + response.status + ").");
            return response.json();
          }
          function duration() { return audio.duration || tracks[index].duration || 0; }
          function draw() {
            const width = canvas.width = canvas.clientWidth * (window.devicePixelRatio || 1) || 600;
            const height = canvas.height = 64 * (window.devicePixelRatio || 1);
            ctx.clearRect(0, 0, width, height);
            if (!bars.length) return;
            const step = width / bars.length, done = duration() ? audio.currentTime / duration() : 0;
            bars.forEach((v, i) => {
              ctx.fillStyle = i / bars.length < done ? "#f0a030" : "#5a5a68";
              const h = Math.max(1, v * height);
              ctx.fillRect(i * step, (height - h) / 2, Math.max(1, step - 1), h);
            });
          }
          async function peaks(track) {
            bars = [];
            draw();
            try {
              const json = await ask(track.peaks);
              const channels = Math.max(1, json.channels || 1), full = 2 ** (json.bits - 1);
              const pixels = Math.min(json.length, Math.floor(json.data.length / (2 * channels)));
              const count = Math.min(pixels, 150), per = pixels / count;
              for (let b = 0; b < count; b++) {
                let peak = 0;
                for (let p = Math.floor(b * per); p < Math.floor((b + 1) * per); p++)
                  for (let c = 0; c < channels; c++) {
                    const at = (p * channels + c) * 2;
                    peak = Math.max(peak, Math.abs(json.data[at]), Math.abs(json.data[at + 1]));
                  }
                bars.push(Math.min(1, peak / full));
              }
              draw();
            } catch { /* a player without a waveform still plays */ }
          }
          async function source(track) {
            const urls = await ask(track.stream);
            const order = ["opus", "aac", "mp3"];
            const chosen = urls.filter((u) => order.includes(u.format)).sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format))
              .find((u) => audio.canPlayType(u.contentType) !== "");
            if (!chosen) throw new Error("This browser plays none of the stream formats.");
            return chosen.url;
          }
          function show(i) {
            index = i;
            const track = tracks[i];
            $("title").textContent = track.title;
            $("title").href = track.pageUrl;
            $("artist").textContent = track.artist;
            const art = $("art");
            if (track.artwork) { art.src = track.artwork; art.hidden = false; } else art.hidden = true;
            document.querySelectorAll("#tracks li").forEach((li, n) => li.classList.toggle("current", n === i));
            $("time").textContent = time(0) + " / " + time(track.duration);
            void peaks(track);
          }
          async function start(i, at) {
            say("");
            try {
              if (loaded !== i) {
                if (index !== i) show(i);
                audio.src = await source(tracks[i]);
                loaded = i;
              }
              if (at !== undefined) audio.currentTime = at;
              last = audio.currentTime;
              // The play starts on the server before the sound does, so every second heard counts.
              if (!play || play.track !== i) {
                const started = await ask(tracks[i].plays, { source: "embed" });
                play = { track: i, id: started.playId, due: started.countAfterSeconds, listened: 0, reported: false, plays: tracks[i].plays };
              }
              await audio.play();
            } catch (e) { say(e.message || "Could not play."); }
          }
          $("play").addEventListener("click", () => { if (loaded === index && !audio.paused) audio.pause(); else void start(index); });
          canvas.addEventListener("click", (e) => {
            const rect = canvas.getBoundingClientRect(), d = duration();
            if (!d) return;
            const at = ((e.clientX - rect.left) / rect.width) * d;
            if (loaded === index) { audio.currentTime = at; last = at; draw(); } else void start(index, at);
          });
          document.querySelectorAll("#tracks button").forEach((b) => b.addEventListener("click", () => void start(Number(b.dataset.index))));
          audio.addEventListener("play", () => { $("play").textContent = "\u275A\u275A"; $("play").setAttribute("aria-label", "Pause"); });
          audio.addEventListener("pause", () => { $("play").textContent = "\u25B6"; $("play").setAttribute("aria-label", "Play"); });
          audio.addEventListener("playing", () => { retried = false; });
          audio.addEventListener("timeupdate", () => {
            const delta = audio.currentTime - last;
            last = audio.currentTime;
            if (play && (!audio.paused || audio.ended) && delta > 0 && delta < 2) play.listened += delta;
            // A quarter of a second is allowed, as the server allows it.
            if (play && !play.reported && play.listened + 0.25 >= play.due) {
              play.reported = true;
              void ask(play.plays, { playId: play.id, source: "embed" }).catch(() => undefined);
            }
            $("time").textContent = time(audio.currentTime) + " / " + time(duration());
            draw();
          });
          audio.addEventListener("ended", () => { if (index + 1 < tracks.length) void start(index + 1); });
          // A signed URL lives 15 minutes: ask for a new one where playback stopped.
          audio.addEventListener("error", () => {
            if (loaded < 0 || retried) return;
            retried = true;
            const at = audio.currentTime, i = loaded;
            loaded = -1;
            void start(i, at);
          });
          window.addEventListener("resize", draw);
          if (tracks.length) show(0);
        })();
        """;
}
