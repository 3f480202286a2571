// Settings → Apps and tokens against a fake server: a token is made with the scopes ticked and its secret shown
// once, then revoked; an authorized app is revoked; a developer registers an app (its secret shown once) and
// deletes it; the server's reasons appear beside the fields they are about.
import { afterEach, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { fakeServer } from "../api/testing";
import { AppsAndTokens } from "./AppsAndTokens";

const scopes = { profile: "See your profile", "releases:read": "See your releases", "releases:write": "Publish releases" };
const token = {
  id: "0b7e6a52-7d1c-4a57-9b0e-5b0a2d1f7c11",
  name: "Uploader",
  scopes: ["releases:write"],
  createdAt: "2030-01-01T12:00:00Z",
  expiresAt: "2030-03-31T12:00:00Z",
  lastUsedAt: null,
};
const app = {
  clientId: "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b",
  name: "Beat Sync",
  redirectUris: ["https://app.example.org/callback"],
  confidential: true,
  createdAt: "2030-01-01T12:00:00Z",
};
const grant = { clientId: "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", appName: "Mix Helper", scopes: ["profile"], grantedAt: "2030-01-02T12:00:00Z" };

function show() {
  render(
    <MemoryRouter>
      <AppsAndTokens />
    </MemoryRouter>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

it("makes a token with the ticked scopes, shows its secret once with a copy button, lists it and revokes it", async () => {
  let tokens: unknown[] = [];
  const calls = fakeServer({
    "GET /api/users/me/tokens": () => ({ json: tokens }),
    "GET /api/apps/scopes": scopes,
    "GET /api/users/me/apps": [],
    "GET /api/apps": [],
    "POST /api/users/me/tokens": () => {
      tokens = [token];
      return { status: 201, json: { token, secret: "jcm_pat_secret" } };
    },
    [`DELETE /api/users/me/tokens/${token.id}`]: () => {
      tokens = [];
      return { status: 204, json: undefined };
    },
  });
  const copy = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue(undefined);
  show();

  expect(await screen.findByText("You have no tokens.")).toBeTruthy();
  const form = screen.getByRole("form", { name: "New token" });
  fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Uploader" } });
  fireEvent.click(await within(form).findByRole("checkbox", { name: /releases:write/ }));
  fireEvent.change(within(form).getByLabelText("Expires in (days, 1-366)"), { target: { value: "30" } });
  fireEvent.submit(form);

  const secret = await screen.findByRole("region", { name: "Token “Uploader”" });
  expect((within(secret).getByLabelText("Secret") as HTMLInputElement).value).toBe("jcm_pat_secret");
  expect(secret.textContent).toContain("shown only this once");
  fireEvent.click(within(secret).getByRole("button", { name: "Copy" }));
  expect(await within(secret).findByRole("button", { name: "Copied" })).toBeTruthy();
  expect(copy).toHaveBeenCalledWith("jcm_pat_secret");
  expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "Uploader", scopes: ["releases:write"], expiresInDays: 30 });

  const list = await screen.findByRole("list", { name: "Your tokens" });
  expect(list.textContent).toContain("Uploader");
  expect(list.textContent).toContain("never used");
  fireEvent.click(within(secret).getByRole("button", { name: "I have copied it" }));
  expect(screen.queryByRole("region", { name: "Token “Uploader”" })).toBeNull();

  fireEvent.click(screen.getByRole("button", { name: "Revoke token Uploader" }));
  expect(await screen.findByText("You have no tokens.")).toBeTruthy();
  expect(calls.filter((c) => c.method === "DELETE").map((c) => c.url)).toEqual([`/api/users/me/tokens/${token.id}`]);
});

it("shows the server's reasons beside the fields they are about", async () => {
  fakeServer({
    "GET /api/users/me/tokens": [],
    "GET /api/apps/scopes": scopes,
    "GET /api/users/me/apps": [],
    "GET /api/apps": [],
    "POST /api/users/me/tokens": () => ({
      status: 400,
      json: { title: "Bad request", detail: "Ask for at least one scope.", errors: { scopes: ["Ask for at least one scope."] } },
    }),
    "POST /api/apps": () => ({
      status: 400,
      json: { detail: "'http://example.org/cb': plain http is allowed only to 127.0.0.1, [::1] or localhost.", errors: { redirectUris: ["'http://example.org/cb': plain http is allowed only to 127.0.0.1, [::1] or localhost."] } },
    }),
  });
  show();

  const tokenForm = screen.getByRole("form", { name: "New token" });
  fireEvent.change(within(tokenForm).getByLabelText("Name"), { target: { value: "Nothing" } });
  fireEvent.submit(tokenForm);
  const scopesBox = within(tokenForm).getByRole("group", { name: "Scopes" });
  expect((await within(scopesBox).findByRole("alert")).textContent).toBe("Ask for at least one scope.");
  expect(within(tokenForm).getAllByRole("alert")).toHaveLength(1);

  const appForm = screen.getByRole("form", { name: "Register an app" });
  fireEvent.change(within(appForm).getByLabelText("App name"), { target: { value: "Bad" } });
  fireEvent.change(within(appForm).getByLabelText("Redirect URIs (one a line)"), { target: { value: "http://example.org/cb" } });
  fireEvent.submit(appForm);
  const uris = within(appForm).getByLabelText("Redirect URIs (one a line)");
  expect((await within(appForm).findByRole("alert")).id).toBe(uris.getAttribute("aria-describedby"));
  expect(within(appForm).getAllByRole("alert")).toHaveLength(1);
});

it("lists the apps the user allowed and revokes one", async () => {
  let grants = [grant];
  const calls = fakeServer({
    "GET /api/users/me/tokens": [],
    "GET /api/apps/scopes": scopes,
    "GET /api/users/me/apps": () => ({ json: grants }),
    "GET /api/apps": [],
    [`DELETE /api/users/me/apps/${grant.clientId}`]: () => {
      grants = [];
      return { status: 204, json: undefined };
    },
  });
  show();

  const list = await screen.findByRole("list", { name: "Apps you allowed" });
  expect(list.textContent).toContain("Mix Helper");
  expect(list.textContent).toContain("profile");
  fireEvent.click(screen.getByRole("button", { name: "Revoke access of Mix Helper" }));
  expect(await screen.findByText("You have not allowed any app to use your account.")).toBeTruthy();
  expect(calls.some((c) => c.method === "DELETE" && c.url === `/api/users/me/apps/${grant.clientId}`)).toBe(true);
});

it("registers a confidential app, shows its client secret once, and deletes it after asking", async () => {
  let apps: unknown[] = [];
  const calls = fakeServer({
    "GET /api/users/me/tokens": [],
    "GET /api/apps/scopes": scopes,
    "GET /api/users/me/apps": [],
    "GET /api/apps": () => ({ json: apps }),
    "POST /api/apps": () => {
      apps = [app];
      return { status: 201, json: { app, clientSecret: "s3cret" } };
    },
    [`DELETE /api/apps/${app.clientId}`]: () => {
      apps = [];
      return { status: 204, json: undefined };
    },
  });
  const confirm = vi.fn(() => true);
  vi.stubGlobal("confirm", confirm);
  show();

  const form = screen.getByRole("form", { name: "Register an app" });
  fireEvent.change(within(form).getByLabelText("App name"), { target: { value: "Beat Sync" } });
  fireEvent.change(within(form).getByLabelText("Redirect URIs (one a line)"), {
    target: { value: "https://app.example.org/callback\n  http://127.0.0.1:7000/cb \n" },
  });
  fireEvent.click(within(form).getByLabelText(/Confidential/));
  fireEvent.submit(form);

  const secret = await screen.findByRole("region", { name: "Client secret of “Beat Sync”" });
  expect((within(secret).getByLabelText("Secret") as HTMLInputElement).value).toBe("s3cret");
  expect(calls.find((c) => c.method === "POST")?.body).toEqual({
    name: "Beat Sync",
    redirectUris: ["https://app.example.org/callback", "http://127.0.0.1:7000/cb"],
    confidential: true,
  });
  const list = await screen.findByRole("list", { name: "Your apps" });
  expect(list.textContent).toContain(app.clientId);
  expect(list.textContent).toContain("confidential");

  fireEvent.click(screen.getByRole("button", { name: "Delete app Beat Sync" }));
  expect(confirm).toHaveBeenCalled();
  expect(await screen.findByText("You have registered no apps.")).toBeTruthy();
});
