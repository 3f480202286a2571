// Lyrics tab: the generator (a job: theme, genre, mood, structure, rhyme scheme, syllables) above the
// assistant; a generated song can be sent to the assistant to check or rework it.
import { useState, type FormEvent } from "react";
import { useStartedJob } from "../api/jobs";
import { ErrorText, JobProgress } from "../ui/ui";
import { LyricsAssistant } from "./LyricsAssistant";
import { lyricsRequest, type LyricsForm, type LyricsReport } from "./report";
import { reportOf, useForm } from "./shared";

export function LyricsTab({ projectId }: { projectId: string }) {
  const [assistantText, setAssistantText] = useState("");
  return (
    <div className="stack">
      <LyricsGenerator onUseText={setAssistantText} />
      <LyricsAssistant projectId={projectId} text={assistantText} onTextChange={setAssistantText} />
    </div>
  );
}

function LyricsGenerator({ onUseText }: { onUseText: (text: string) => void }) {
  const [form, set] = useForm<LyricsForm>({
    theme: "",
    genre: "",
    mood: "",
    structure: "verse-chorus-verse-chorus-bridge-chorus",
    rhymeScheme: "ABAB",
    syllablesPerLine: "8",
    language: "en",
    seed: "",
    provider: "",
  });
  // Every field is text as typed; lyricsRequest reads the numbers.
  const field = (name: keyof LyricsForm) => ({
    value: form[name],
    onChange: (event: { target: { value: string } }) => set(name)(event.target.value),
  });
  const { job, jobId, start, running, error } = useStartedJob();
  const report = reportOf<LyricsReport>(job);

  const write = (event: FormEvent) => {
    event.preventDefault();
    void start("/api/ai/lyrics", lyricsRequest(form));
  };

  return (
    <section className="stack">
      <h3>Write lyrics</h3>
      <form className="stack" onSubmit={write}>
        <label>
          Theme
          <input required maxLength={200} placeholder="e.g. summer nights by the sea" {...field("theme")} />
        </label>
        <div className="row">
          <label>
            Genre
            <input placeholder="optional" {...field("genre")} />
          </label>
          <label>
            Mood
            <input placeholder="optional" {...field("mood")} />
          </label>
        </div>
        <label>
          Structure (intro, verse, prechorus, chorus, bridge, hook, outro)
          <input {...field("structure")} />
        </label>
        <div className="row">
          <label>
            Rhyme scheme (A-H per line)
            <input pattern="[A-Ha-h]{2,8}" {...field("rhymeScheme")} />
          </label>
          <label>
            Syllables per line
            <input type="number" required min={4} max={16} {...field("syllablesPerLine")} />
          </label>
        </div>
        <div className="row">
          <label>
            Language
            <input {...field("language")} />
          </label>
          <label>
            Seed
            <input type="number" step={1} placeholder="random" {...field("seed")} />
          </label>
          <label>
            Writer
            <select {...field("provider")}>
              <option value="">Default</option>
              <option value="model">Language model</option>
              <option value="offline">Offline (templates and rhyme dictionary)</option>
            </select>
          </label>
        </div>
        <button type="submit" disabled={running}>
          Write lyrics
        </button>
      </form>
      <ErrorText error={error} />
      <JobProgress job={job} jobId={jobId} label="Writing lyrics" />
      {report && (
        <article className="stack ai-lyrics">
          <p className="muted">
            Written by {report.model ?? report.provider}, seed {report.seed} (the same seed writes the same song).
          </p>
          {report.sections.map((section, index) => (
            <div key={index}>
              <h4>{section.name}</h4>
              {section.lines.map((line, lineIndex) => (
                <p key={lineIndex} className="ai-lyric-line">
                  <span>{line.text}</span>
                  <span className="muted">
                    {line.syllables} · {line.rhyme}
                  </span>
                </p>
              ))}
            </div>
          ))}
          <div className="row">
            <button type="button" className="secondary" onClick={() => onUseText(report.text)}>
              Check in the assistant
            </button>
          </div>
        </article>
      )}
    </section>
  );
}
