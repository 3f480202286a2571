// The admins' moderation queue: open reports, oldest first, and what to do about each (with a reason, which is
// recorded and mailed to whom it concerns).
import { useState } from "react";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { usePaged } from "../api/usePaged";
import { ErrorText } from "../ui/ui";

type Queued = Schema<"ReportResponse">;

const actionsFor: Record<string, string[]> = {
  release: ["hide", "restore", "remove"],
  listing: ["hide", "restore", "remove"],
  comment: ["remove"],
  user: ["warn", "ban", "reinstate"],
  playlist: [],
};

export default function ModerationPage() {
  const queue = usePaged<Queued>("/api/admin/moderation/reports?first=50");
  return (
    <main className="page">
      <h1>Moderation</h1>
      <ErrorText error={queue.error} />
      {queue.items.length === 0 && !queue.loading && <p className="muted">No open reports.</p>}
      <ul className="list" aria-label="Open reports">
        {queue.items.map((report) => (
          <li key={report.id}>
            <QueuedReport report={report} onDone={queue.reload} />
          </li>
        ))}
      </ul>
    </main>
  );
}

function QueuedReport({ report, onDone }: { report: Queued; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const act = (action: string) => {
    setError(null);
    api.post("/api/admin/moderation/actions", { targetType: report.targetType, targetId: report.targetId, action, reason }).then(onDone, setError);
  };
  return (
    <article className="stack" aria-label={`Report of ${report.targetType} ${report.targetId}`}>
      <p>
        <strong>{report.reason}</strong> — {report.targetType} <code>{report.targetId}</code>
        {report.takedown && " (copyright notice)"}
      </p>
      {report.details && <p className="muted">{report.details}</p>}
      {report.counterNotice && <p>Counter-notice: {report.counterNotice}</p>}
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
      </label>
      <div className="row">
        {(actionsFor[report.targetType] ?? []).map((action) => (
          <button key={action} className={action === "restore" || action === "reinstate" ? "secondary" : ""} disabled={!reason.trim()} onClick={() => act(action)}>
            {action[0].toUpperCase() + action.slice(1)}
          </button>
        ))}
      </div>
      <ErrorText error={error} />
    </article>
  );
}
