// The page an invitation mail links to: joins the project for the signed-in account (whose confirmed address
// must be the invited one) and opens it.
import { useEffect, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { ErrorText } from "../ui/ui";

export function AcceptInvitationPage() {
  const token = new URLSearchParams(useLocation().search).get("token") ?? "";
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.post<Schema<"AcceptedInvitationResponse">>("/api/invitations/accept", { token }).then(
      (joined) => navigate(`/projects/${joined.projectId}`, { replace: true }),
      setError,
    );
  }, [token, navigate]);
  return (
    <main className="narrow">
      <h1>Joining the project…</h1>
      <ErrorText error={error} />
      {Boolean(error) && <Link to="/projects">Go to your projects</Link>}
    </main>
  );
}
