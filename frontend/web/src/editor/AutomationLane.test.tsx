// The automation lane turns clicks and drags into automation.set ops carrying the whole lane: a click adds a point
// (time snapped to the beat, value from the height), a drag moves one, a double-click or Alt-click removes one, the
// right-click menu sets a point's curve.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { targetsOf } from "./automation";
import { AutomationRow, laneHeight } from "./AutomationLane";
import { snap, type Project, type Track } from "./model";

// 60 px a second at 48 kHz and 120 BPM: a beat is 30 px and 24 000 samples.
const track: Track = {
  id: "t", name: "Vox", kind: "audio", color: "#4fc3f7", volumeDb: 0, pan: 0, mute: false, solo: false, output: null, effects: [], clips: [], sends: [],
  automation: [{ target: "volume", points: [{ time: 48000, value: 0, curve: "linear" }, { time: 240000, value: -12, curve: "linear" }] }],
};
const project = {
  id: "p", name: "Song", tempo: 120, timeSignature: { numerator: 4, denominator: 4 }, sampleRate: 48000, version: 1,
  master: { volumeDb: 0, effects: [], automation: [] }, tracks: [track], comments: [],
} as unknown as Project;
afterEach(cleanup);

function setup(canEdit = true, lanes = track.automation) {
  const onEdit = vi.fn();
  const t = { ...track, automation: lanes };
  const target = targetsOf(t, { ...project, tracks: [t] }, () => undefined)[0]; // volume, −60..12 dB
  render(
    <AutomationRow track={t} project={project} target={target} width={1000} from={0} to={1000}
      toPx={(s) => (s / 48000) * 60} toSamples={(px) => Math.max(0, Math.round((px / 60) * 48000))} place={(s) => snap(s, 24000)}
      canEdit={canEdit} onEdit={onEdit} />,
  );
  return onEdit;
}
const op = (points: unknown[]) => ({ kind: "automation.set", payload: { trackId: "t", target: "volume", points } });
const area = () => screen.getByTestId("automation-area-Vox");

it("draws the lane as a line with a dot per point", () => {
  setup();
  expect(screen.getAllByLabelText(/^Point /)).toHaveLength(2);
  // 0 dB is a sixth of the way down a −60..12 lane: 5 + 46 / 6 px.
  expect(document.querySelector(".automation-line")!.getAttribute("points")).toMatch(/^0\.0,12\.7 /);
});

it("a click adds a point in time order, snapped to the beat, its value from the height", () => {
  const onEdit = setup();
  // 2.2 s in (snapped to 2 s), at the lane's middle: −24 dB on a −60..12 scale.
  fireEvent.click(area(), { button: 0, detail: 1, clientX: 132, clientY: laneHeight / 2 });
  expect(onEdit).toHaveBeenCalledWith(op([
    { time: 48000, value: 0, curve: "linear" }, { time: 96000, value: -24, curve: "linear" }, { time: 240000, value: -12, curve: "linear" },
  ]));
});

it("a click on an empty lane starts it", () => {
  const onEdit = setup(true, []);
  fireEvent.click(area(), { button: 0, detail: 1, clientX: 0, clientY: 5 });
  expect(onEdit).toHaveBeenCalledWith(op([{ time: 0, value: 12, curve: "linear" }]));
});

it("a drag moves a point (no further than its neighbours) as one op on release", () => {
  const onEdit = setup();
  const [first] = screen.getAllByLabelText(/^Point /);
  fireEvent.pointerDown(first, { button: 0, clientX: 60, clientY: 5 });
  fireEvent.pointerMove(first, { clientX: 600, clientY: 5 }); // past the next point: stops at it
  expect(onEdit).not.toHaveBeenCalled();
  fireEvent.pointerUp(first, { clientX: 600, clientY: 5 });
  expect(onEdit).toHaveBeenCalledWith(op([{ time: 240000, value: 0, curve: "linear" }, { time: 240000, value: -12, curve: "linear" }]));
});

it("a double-click or Alt-click removes a point; the menu sets its curve", () => {
  const onEdit = setup();
  fireEvent.doubleClick(screen.getAllByLabelText(/^Point /)[0]);
  expect(onEdit).toHaveBeenLastCalledWith(op([{ time: 240000, value: -12, curve: "linear" }]));
  cleanup();
  const again = setup();
  fireEvent.pointerDown(screen.getAllByLabelText(/^Point /)[1], { button: 0, altKey: true });
  expect(again).toHaveBeenLastCalledWith(op([{ time: 48000, value: 0, curve: "linear" }]));
  cleanup();
  const curve = setup();
  fireEvent.contextMenu(screen.getAllByLabelText(/^Point /)[0]);
  fireEvent.click(screen.getByRole("menuitemradio", { name: "Hold (step)" }));
  expect(curve).toHaveBeenLastCalledWith(op([{ time: 48000, value: 0, curve: "hold" }, { time: 240000, value: -12, curve: "linear" }]));
});

it("lets a viewer look but not edit", () => {
  const onEdit = setup(false);
  fireEvent.click(area(), { button: 0, detail: 1, clientX: 132, clientY: 20 });
  fireEvent.doubleClick(screen.getAllByLabelText(/^Point /)[0]);
  fireEvent.contextMenu(screen.getAllByLabelText(/^Point /)[0]);
  expect(screen.queryByRole("menu")).toBeNull();
  expect(onEdit).not.toHaveBeenCalled();
});
