import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { PublishDialog } from "./PublishDialog";
import { fakeServer } from "../api/testing";

vi.mock("../api/hub", () => ({ on: () => () => undefined }));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("PublishDialog", () => {
  it("publishes the project with its details, shows the job's progress, then links to the release", async () => {
    const calls = fakeServer({
      "POST /api/releases": () => ({ status: 202, json: { release: { id: "rel1", title: "Night Drive" }, jobId: "job1" } }),
      "GET /api/jobs/job1": { id: "job1", kind: "release", status: "succeeded", progress: 100, stage: "done", result: null, error: null },
    });
    const onClose = vi.fn();
    render(
      <MemoryRouter>
        <PublishDialog projectId="proj1" onClose={onClose} />
      </MemoryRouter>,
    );
    expect((screen.getByLabelText("Visibility") as HTMLSelectElement).value).toBe("public");
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Night Drive" } });
    fireEvent.change(screen.getByLabelText("Genre"), { target: { value: "Synthwave" } });
    fireEvent.change(screen.getByLabelText("Tags"), { target: { value: "retro, Night" } });
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));

    expect(await screen.findByRole("progressbar", { name: "Publishing" })).toBeTruthy();
    const link = await screen.findByRole("link", { name: "Open release" });
    expect(link.getAttribute("href")).toBe("/releases/rel1");
    expect(calls[0]).toMatchObject({
      method: "POST",
      url: "/api/releases",
      body: { projectId: "proj1", title: "Night Drive", genre: "synthwave", tags: ["retro", "night"], visibility: "public" },
    });

    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(onClose).toHaveBeenCalled();
  });

  it("shows the server's reason when publishing is refused", async () => {
    fakeServer({ "POST /api/releases": () => ({ status: 400, json: { title: "Bad request", detail: "The project has no audio to mix." } }) });
    render(
      <MemoryRouter>
        <PublishDialog projectId="proj1" onClose={() => undefined} />
      </MemoryRouter>,
    );
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Empty" } });
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The project has no audio to mix.");
  });
});
