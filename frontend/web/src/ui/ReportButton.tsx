// "Report" on anything others made: a reason, optional details, sent to the moderators' queue.
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { ErrorText } from "./ui";

const reasons = ["spam", "harassment", "hate", "sexual", "violence", "copyright", "impersonation", "other"];

export function ReportButton({ targetType, targetId, label }: { targetType: string; targetId: string; label: string }) {
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (sent) return <span className="muted" role="status">Reported</span>;
  if (!open) {
    return (
      <button className="link" onClick={() => setOpen(true)} aria-label={`Report ${label}`}>
        Report
      </button>
    );
  }
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    api.post("/api/reports", { targetType, targetId, reason: form.get("reason"), details: form.get("details") || undefined }).then(() => setSent(true), setError);
  };
  return (
    <form className="stack report-form" onSubmit={submit} aria-label={`Report ${label}`}>
      <label>
        Why
        <select name="reason" defaultValue="spam">
          {reasons.map((r) => (
            <option key={r} value={r}>{r}</option>
          ))}
        </select>
      </label>
      <label>
        Details
        <input name="details" maxLength={2000} />
      </label>
      <ErrorText error={error} />
      <div className="row">
        <button type="submit">Send report</button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
