// The clip's time-and-pitch form: values checked before they are sent, one clip.stretch op with all of them.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ClipStretch, stretchOp } from "./ClipStretch";
import type { Clip, Project } from "./model";

const clip = {
  id: "c", start: 0, length: 48000, assetId: "a", offset: 0, gainDb: 0, muted: false, notes: [],
  fadeIn: { length: 0, curve: "linear" }, fadeOut: { length: 0, curve: "linear" },
  sourceTempo: null, transpose: 0, cents: 0, preserveFormants: false,
} as Clip;
const project = { tempo: 120 } as Project;

afterEach(cleanup);

describe("clip time and pitch", () => {
  it("sends one clip.stretch with the tempo, semitones, cents and formants", () => {
    const onEdit = vi.fn();
    render(<ClipStretch project={project} clip={clip} canEdit onEdit={onEdit} />);
    fireEvent.change(screen.getByLabelText("Played at (BPM)"), { target: { value: "90" } });
    fireEvent.change(screen.getByLabelText("Transpose"), { target: { value: "-3" } });
    fireEvent.click(screen.getByLabelText("Keep formants"));
    expect(screen.getByText("follows the project's 120 BPM")).toBeTruthy();
    fireEvent.click(screen.getByText("Apply"));
    expect(onEdit).toHaveBeenCalledWith({ kind: "clip.stretch", payload: { clipId: "c", sourceTempo: 90, transpose: -3, cents: 0, preserveFormants: true } });
  });

  it("refuses values the server would refuse, with the reason", () => {
    expect(stretchOp("c", "1000", "0", "0", false)).toMatch(/20 to 400/);
    expect(stretchOp("c", "", "1.5", "0", false)).toMatch(/whole number of semitones/);
    expect(stretchOp("c", "", "0", "-101", false)).toMatch(/Cents/);
    expect(stretchOp("c", "", "", "", false)).toEqual({ kind: "clip.stretch", payload: { clipId: "c", sourceTempo: null, transpose: 0, cents: 0, preserveFormants: false } });
  });
});
