// The consent page: the app, its developer and its scopes from the server; Allow and Deny post the app's request
// back as a form with the user's token and follow the answer; the server's reasons are shown when it refuses.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { signedIn, signOut } from "../api/client";
import { fakeServer, tokensFor } from "../api/testing";
import ConsentPage from "./ConsentPage";

const clientId = "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b";
const request =
  `response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent("https://app.example.org/callback")}` +
  "&scope=profile+releases%3Aread&state=xyz&code_challenge=abc123&code_challenge_method=S256";
const consent = {
  clientId,
  name: "Beat Sync",
  developer: "Dev Dana",
  scopes: { profile: "See your profile", "releases:read": "See your releases" },
};

function show(search = request) {
  render(
    <MemoryRouter initialEntries={[`/oauth/consent?${search}`]}>
      <ConsentPage />
    </MemoryRouter>,
  );
}

beforeEach(() => signedIn(tokensFor({ id: "me", displayName: "Mia" })));
afterEach(async () => {
  cleanup();
  await signOut();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

it("shows the app, its developer and each scope, and Allow posts the request with the decision and follows the answer", async () => {
  const calls = fakeServer({
    [`GET /api/apps/${clientId}/consent?scope=profile+releases%3Aread`]: consent,
    "POST /oauth/authorize": { redirectTo: "https://app.example.org/callback?code=c0de&state=xyz" },
  });
  const assign = vi.spyOn(window.location, "assign").mockImplementation(() => undefined);
  show();

  expect(await screen.findByRole("heading", { name: "Allow Beat Sync to use your account?" })).toBeTruthy();
  expect(screen.getByText("Dev Dana")).toBeTruthy();
  expect(screen.getByText("Mia")).toBeTruthy();
  const scopes = screen.getByRole("list", { name: "What the app may do" });
  expect(scopes.textContent).toContain("See your profile");
  expect(scopes.textContent).toContain("See your releases");
  expect(screen.getByText("app.example.org")).toBeTruthy();
  expect(screen.getByRole("link", { name: "Settings" }).getAttribute("href")).toBe("/settings");

  fireEvent.click(screen.getByRole("button", { name: "Allow" }));
  await vi.waitFor(() => expect(assign).toHaveBeenCalledWith("https://app.example.org/callback?code=c0de&state=xyz"));
  const post = calls[1];
  expect(post.method).toBe("POST");
  expect(post.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
  expect(post.headers.get("Authorization")).toBe("Bearer token");
  const form = new URLSearchParams(post.body as string);
  expect(Object.fromEntries(form)).toEqual({
    response_type: "code",
    client_id: clientId,
    redirect_uri: "https://app.example.org/callback",
    scope: "profile releases:read",
    state: "xyz",
    code_challenge: "abc123",
    code_challenge_method: "S256",
    decision: "allow",
  });
  expect(await screen.findByText("Taking you back to the app…")).toBeTruthy();
});

it("posts deny, and shows the OAuth error the server answers as text", async () => {
  const calls = fakeServer({
    [`GET /api/apps/${clientId}/consent?scope=profile+releases%3Aread`]: consent,
    "POST /oauth/authorize": () =>
      new Response("error:invalid_request\nerror_description:The specified 'redirect_uri' is not valid for this client application.\n", {
        status: 400,
        headers: { "Content-Type": "text/plain;charset=UTF-8" },
      }),
  });
  show();

  fireEvent.click(await screen.findByRole("button", { name: "Deny" }));
  expect((await screen.findByRole("alert")).textContent).toBe("The specified 'redirect_uri' is not valid for this client application.");
  expect(new URLSearchParams(calls[1].body as string).get("decision")).toBe("deny");
  expect(screen.getByRole("button", { name: "Allow" })).toBeTruthy();
});

it("shows why an app cannot be authorized (an unknown scope), with no buttons", async () => {
  fakeServer({
    [`GET /api/apps/${clientId}/consent?scope=everything`]: () => ({
      status: 400,
      json: { title: "Bad request", detail: "Unknown scope 'everything'.", errors: { scope: ["Unknown scope 'everything'."] } },
    }),
  });
  show(`response_type=code&client_id=${clientId}&scope=everything`);

  expect((await screen.findByRole("alert")).textContent).toBe("Unknown scope 'everything'.");
  expect(screen.getByRole("heading", { name: "This app cannot be authorized" })).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Allow" })).toBeNull();
});

it("says so when the link names no app", async () => {
  const calls = fakeServer({});
  show("response_type=code&scope=profile");
  expect((await screen.findByRole("alert")).textContent).toContain("no client_id");
  expect(calls).toEqual([]);
});
