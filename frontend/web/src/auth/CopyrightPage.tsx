// The copyright notice form: whoever holds the rights to a work names the release or listing that uses it; the
// content is hidden at once, pending review, and its owner may answer with a counter-notice.
import { useState, type FormEvent } from "react";
import { useLocation } from "react-router";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { ErrorText } from "../ui/ui";

export default function CopyrightPage() {
  const params = new URLSearchParams(useLocation().search);
  const [sent, setSent] = useState<Schema<"ReportResponse"> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    api.post<Schema<"ReportResponse">>("/api/takedowns", {
      targetType: form.get("targetType"), targetId: form.get("targetId"), claimantName: form.get("claimantName"),
      work: form.get("work"), statement: form.get("statement"),
    }).then(setSent, setError);
  };
  return (
    <main className="page narrow">
      <h1>Copyright notice</h1>
      {sent ? (
        <p className="ok" role="status">Notice {sent.id} received: the content is hidden while a moderator reviews it.</p>
      ) : (
        <form className="stack" onSubmit={submit}>
          <label>
            What
            <select name="targetType" defaultValue={params.get("type") ?? "release"}>
              <option value="release">A release</option>
              <option value="listing">A listing</option>
            </select>
          </label>
          <label>
            Its id
            <input name="targetId" required defaultValue={params.get("id") ?? ""} />
          </label>
          <label>
            Who holds the rights
            <input name="claimantName" required maxLength={2000} />
          </label>
          <label>
            The work it uses
            <input name="work" required maxLength={2000} />
          </label>
          <label>
            Your statement that the use is not authorized
            <textarea name="statement" required maxLength={2000} rows={3} />
          </label>
          <ErrorText error={error} />
          <button type="submit">Send the notice</button>
        </form>
      )}
    </main>
  );
}
