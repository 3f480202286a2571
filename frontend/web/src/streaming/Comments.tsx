// A release's comments at time positions: threads in song order with their replies, a form to comment
// at the player's current position, replies, deleting (the author's or the release owner's right) and reporting.
import { useState, type FormEvent } from "react";
import { Link, useLocation } from "react-router";
import { api, query } from "../api/client";
import type { Paged } from "../api/usePaged";
import { useUser } from "../auth/auth";
import { ReportButton } from "../ui/ReportButton";
import { ErrorText, formatTime } from "../ui/ui";
import { PagedSection } from "./components";
import { useUserNames } from "./hooks";
import type { ReleaseComment } from "./types";
import { threadComments } from "./waveform";

interface CommentsProps {
  releaseId: string;
  ownerId: string;
  secret?: string;
  comments: Paged<ReleaseComment>;
  /** Where a new comment goes: the player's position in this release. */
  position: number;
  onSeek: (seconds: number) => void;
}

export function Comments({ releaseId, ownerId, secret, comments, position, onSeek }: CommentsProps) {
  const user = useUser();
  const location = useLocation();
  const names = useUserNames(comments.items.map((c) => c.authorId));
  const [replyingTo, setReplyingTo] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const path = `/api/releases/${releaseId}/comments`;

  const post = async (text: string, atSeconds: number, parentId?: string) => {
    await api.post(`${path}${query({ secret })}`, { text, atSeconds, parentId });
    setReplyingTo(null);
    comments.reload();
  };
  const remove = (id: string) => {
    setError(null);
    api.delete(`${path}/${id}`).then(comments.reload, setError);
  };
  const canDelete = (c: ReleaseComment) => user !== null && (user.id === c.authorId || user.id === ownerId);

  const renderComment = (c: ReleaseComment) => (
    <div className="comment">
      <div className="row">
        <button className="link" onClick={() => onSeek(c.atSeconds)} aria-label={`Go to ${formatTime(c.atSeconds)}`}>
          {formatTime(c.atSeconds)}
        </button>
        <Link to={`/users/${c.authorId}`}>{names[c.authorId] ?? "…"}</Link>
        {canDelete(c) && (
          <button className="link" onClick={() => remove(c.id)} aria-label="Delete comment">
            Delete
          </button>
        )}
        {user && user.id !== c.authorId && <ReportButton targetType="comment" targetId={c.id} label="comment" />}
      </div>
      <p className="comment-text">{c.text}</p>
    </div>
  );

  return (
    <section aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      {user ? (
        <CommentForm label="Comment" submit={`Comment at ${formatTime(position)}`} onPost={(text) => post(text, position)} />
      ) : (
        <p className="muted">
          <Link to={`/signin?returnTo=${encodeURIComponent(location.pathname + location.search)}`}>Sign in</Link> to comment.
        </p>
      )}
      <ErrorText error={error} />
      <PagedSection paged={comments}>
        {comments.items.length === 0 ? (
          <p className="muted">No comments yet.</p>
        ) : (
          <ul className="list">
            {threadComments(comments.items).map(({ comment, replies }) => (
              <li key={comment.id}>
                {renderComment(comment)}
                {replies.length > 0 && (
                  <ul className="replies">
                    {replies.map((reply) => (
                      <li key={reply.id}>{renderComment(reply)}</li>
                    ))}
                  </ul>
                )}
                {user &&
                  (replyingTo === comment.id ? (
                    <CommentForm label="Reply" submit="Post reply" onPost={(text) => post(text, comment.atSeconds, comment.id)} onCancel={() => setReplyingTo(null)} />
                  ) : (
                    <button className="link" onClick={() => setReplyingTo(comment.id)}>
                      Reply
                    </button>
                  ))}
              </li>
            ))}
          </ul>
        )}
      </PagedSection>
    </section>
  );
}

function CommentForm({ label, submit, onPost, onCancel }: { label: string; submit: string; onPost: (text: string) => Promise<void>; onCancel?: () => void }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onPost(text.trim());
      setText("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack comment-form" onSubmit={send}>
      <label>
        {label}
        <textarea value={text} onChange={(e) => setText(e.target.value)} required maxLength={1000} rows={2} />
      </label>
      <ErrorText error={error} />
      <div className="row">
        <button type="submit" disabled={busy || text.trim() === ""}>
          {submit}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
