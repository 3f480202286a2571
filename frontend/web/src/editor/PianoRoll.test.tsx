// The piano roll turns clicks and drags into note ops: a click on an empty cell adds a note there, a drag
// moves one (time and pitch, snapped to sixteenths) or lengthens it, a double-click removes it.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import type { Clip, Project } from "./model";
import { PianoRoll, pxPerBeat, rowHeight } from "./PianoRoll";

// 120 BPM at 48 kHz: a beat is 24 000 samples and 64 px, a sixteenth 6 000 samples and 16 px.
const clip: Clip = {
  id: "m", start: 0, length: 96000, assetId: null, offset: 0, gainDb: 0, muted: false,
  fadeIn: { length: 0, curve: "linear" }, fadeOut: { length: 0, curve: "linear" },
  notes: [{ id: "n1", pitch: 60, velocity: 100, start: 24000, length: 24000 }],
  sourceTempo: null, transpose: 0, cents: 0, preserveFormants: false,
};
const project: Project = {
  id: "p", name: "Song", description: null, tempo: 120, timeSignature: { numerator: 4, denominator: 4 }, key: null, sampleRate: 48000,
  master: { volumeDb: 0, effects: [], automation: [] }, ownerId: "u", collaborators: [],
  tracks: [{ id: "k", name: "Keys", kind: "midi", color: "#4fc3f7", volumeDb: 0, pan: 0, mute: false, solo: false, output: null, effects: [], clips: [clip], automation: [], sends: [] }],
  comments: [], version: 1, forkedFrom: null, tempoChanges: [],
};
afterEach(cleanup);
const rowOf = (pitch: number) => (108 - pitch) * rowHeight; // the top key is C8

function setup(canEdit = true) {
  const onEdit = vi.fn();
  render(<PianoRoll project={project} clip={clip} color="#4fc3f7" canEdit={canEdit} onEdit={onEdit} />);
  return onEdit;
}

it("adds a beat-long note where an empty cell is clicked, snapped to the sixteenth", () => {
  const onEdit = setup();
  // 2.4 beats in (between the 9th and 10th sixteenth), on the row of E4 (64).
  fireEvent.pointerDown(screen.getByTestId("note-grid"), { button: 0, clientX: 2.4 * pxPerBeat, clientY: rowOf(64) + 3 });
  expect(onEdit).toHaveBeenCalledWith({ kind: "note.add", payload: { clipId: "m", pitch: 64, velocity: 100, start: 54000, length: 24000 } });
});

it("moves a note by a drag, in time and pitch, as one op on release", () => {
  const onEdit = setup();
  const note = screen.getByRole("button", { name: "Note C4" });
  fireEvent.pointerDown(note, { button: 0, clientX: 70, clientY: 100 });
  fireEvent.pointerMove(note, { clientX: 70 + 2 * 16 + 3, clientY: 100 - 2 * rowHeight });
  expect(onEdit).not.toHaveBeenCalled(); // drawn locally while dragging
  fireEvent.pointerUp(note, { clientX: 70 + 2 * 16 + 3, clientY: 100 - 2 * rowHeight });
  expect(onEdit).toHaveBeenCalledWith({ kind: "note.move", payload: { clipId: "m", noteId: "n1", start: 36000, pitch: 62 } });
});

it("removes a note on double-click, and a viewer changes nothing", () => {
  const onEdit = setup();
  fireEvent.doubleClick(screen.getByRole("button", { name: "Note C4" }));
  expect(onEdit).toHaveBeenCalledWith({ kind: "note.remove", payload: { clipId: "m", noteId: "n1" } });
});

it("lets a viewer look but not edit", () => {
  const onEdit = setup(false);
  fireEvent.pointerDown(screen.getByTestId("note-grid"), { button: 0, clientX: 10, clientY: rowOf(64) + 3 });
  fireEvent.doubleClick(screen.getByRole("button", { name: "Note C4" }));
  expect(onEdit).not.toHaveBeenCalled();
});
