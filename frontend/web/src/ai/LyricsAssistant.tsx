// The lyrics assistant: answers at once (no job) with syllables, stresses, rhymes and timing per line at
// the project's tempo and meter, words missing from the dictionary, and rhymes for a word.
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { ErrorText } from "../ui/ui";

type AssistAnswer = Schema<"LyricsAssistResponse">;

export function LyricsAssistant({ projectId, text, onTextChange }: { projectId: string; text: string; onTextChange: (text: string) => void }) {
  const [word, setWord] = useState("");
  const [syllablesPerBeat, setSyllablesPerBeat] = useState(2);
  const [answer, setAnswer] = useState<AssistAnswer | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const check = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setError(null);
    try {
      setAnswer(await api.post<AssistAnswer>("/api/ai/lyrics/assist", { text, projectId, syllablesPerBeat, word: word.trim() || undefined }));
    } catch (reason) {
      setError(reason);
    } finally {
      setChecking(false);
    }
  };

  return (
    <section className="stack">
      <h3>Lyrics assistant</h3>
      <form className="stack" onSubmit={(event) => void check(event)}>
        <label>
          Lyrics to check (one line per sung line)
          <textarea rows={8} value={text} onChange={(event) => onTextChange(event.target.value)} />
        </label>
        <div className="row">
          <label>
            Find rhymes for
            <input value={word} onChange={(event) => setWord(event.target.value)} placeholder="a word (optional)" />
          </label>
          <label>
            Sung as
            <select value={syllablesPerBeat} onChange={(event) => setSyllablesPerBeat(Number(event.target.value))}>
              <option value={1}>quarter notes (1 syllable a beat)</option>
              <option value={2}>eighth notes (2 a beat)</option>
              <option value={3}>triplets (3 a beat)</option>
              <option value={4}>sixteenth notes (4 a beat)</option>
            </select>
          </label>
        </div>
        <button type="submit" disabled={checking}>
          Check
        </button>
      </form>
      <ErrorText error={error} />
      {answer && <AssistantAnswer answer={answer} />}
    </section>
  );
}

function AssistantAnswer({ answer }: { answer: AssistAnswer }) {
  const { lines, unknownWords, tempo, beatsPerBar } = answer.analysis;
  return (
    <div className="stack">
      {lines.length > 0 && (
        <table className="ai-table">
          <caption className="muted">
            At {tempo} BPM, {beatsPerBar} beats to the bar; stresses per syllable: 1 main, 2 secondary, 0 none
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Syllables</th>
              <th scope="col">Stresses</th>
              <th scope="col">Rhyme</th>
              <th scope="col">Bars</th>
              <th scope="col">Seconds</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, index) => (
              <tr key={index}>
                <th scope="row">{line.text}</th>
                <td>{line.syllables}</td>
                <td className="ai-stresses">{line.stresses}</td>
                <td>{line.rhyme ?? "—"}</td>
                <td>{line.bars}</td>
                <td>{line.seconds}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unknownWords.length > 0 && <p className="muted">Not in the dictionary (counted by spelling): {unknownWords.join(", ")}</p>}
      {answer.word && (
        <p>
          Rhymes for “{answer.word}”: {answer.rhymes.length > 0 ? answer.rhymes.join(", ") : "none found"}
        </p>
      )}
    </div>
  );
}
