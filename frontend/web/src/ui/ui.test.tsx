// The job progress line: a job waiting in its owner's line shows its place, a running one its stage.
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Job } from "../api/jobs";
import { JobProgress } from "./ui";

const job = (fields: Partial<Job>) => ({ id: "j1", kind: "render", status: "queued", progress: 0, stage: "queued", queuePosition: null, ...fields }) as Job;

afterEach(cleanup);

describe("JobProgress", () => {
  it("shows a waiting job's place in the owner's line, then its stage once it runs", () => {
    const { rerender } = render(<JobProgress job={job({ queuePosition: 2 })} jobId="j1" label="Rendering" />);
    expect(screen.getByText("Waiting for a free slot, number 2 in line…")).toBeTruthy();
    rerender(<JobProgress job={job({ status: "running", stage: "mixing", progress: 40 })} jobId="j1" label="Rendering" />);
    expect(screen.getByText("mixing…")).toBeTruthy();
  });
});
