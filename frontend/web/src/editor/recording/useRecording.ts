// The editor's recording state: which track is armed, whether a take is being recorded, input monitoring, the
// latency calibration, and takes this browser still holds (sent again when the project opens or the network is back).
import { useCallback, useEffect, useRef, useState } from "react";
import { describe } from "../../api/client";
import type { Project } from "../model";
import type { Playback, Region } from "../playback";
import type { OpDraft } from "../session";
import { savedLatency } from "./latency";
import { Recorder } from "./recorder";

interface Options {
  playback: Playback;
  project: Project | null;
  submit: (...ops: OpDraft[]) => Promise<string[]>;
  onNotice: (message: string | null) => void;
}

export function useRecording({ playback, project, submit, onNotice }: Options) {
  const latest = useRef(project);
  latest.current = project;
  const send = useRef(submit);
  send.current = submit;
  const [armed, setArmed] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const [monitoring, setMonitoring] = useState(false);
  const [latency, setLatency] = useState(savedLatency);
  const recorder = useRef<Recorder | null>(null);
  recorder.current ??= new Recorder(playback, { submit: (...ops) => send.current(...ops), project: () => latest.current, onStatus: onNotice });

  const projectId = project?.id;
  useEffect(() => {
    if (!projectId) return;
    const resume = () => void recorder.current!.resume(projectId).catch(() => undefined);
    resume();
    window.addEventListener("online", resume);
    return () => window.removeEventListener("online", resume);
  }, [projectId]);
  useEffect(() => () => recorder.current?.disarm(), []);

  const arm = useCallback(async (trackId: string | null) => {
    setArmed(trackId);
    if (!trackId) {
      recorder.current!.disarm();
      setMonitoring(false);
      return;
    }
    // Opened at once, so the browser asks for the microphone before the take, not during its count-in.
    await recorder.current!.arm().catch((e) => {
      setArmed(null);
      onNotice(`The microphone could not be opened: ${describe(e)}`);
    });
  }, [onNotice]);

  /** Starts recording onto the armed track from `from`, or stops; resolves with where the playhead stopped. */
  const toggleRecord = useCallback(async (from: number, loop: Region | null, metronome: boolean): Promise<boolean> => {
    const r = recorder.current!;
    if (recording) {
      setRecording(false);
      await r.stop();
      return false;
    }
    if (!armed || !latest.current) {
      onNotice("Arm a track to record on (its R button in the mixer).");
      return false;
    }
    await r.record(latest.current, armed, from, loop, metronome);
    setRecording(true);
    return true;
  }, [recording, armed, onNotice]);

  const monitor = useCallback((on: boolean) => {
    recorder.current!.monitor(on);
    setMonitoring(on);
  }, []);

  const calibrate = useCallback(async () => {
    const seconds = await recorder.current!.calibrate().catch((e) => {
      onNotice(describe(e));
      return undefined;
    });
    if (seconds === null) onNotice("The calibration signal was not heard back: hold the microphone to the speaker (or connect the output to the input) and try again.");
    else if (seconds !== undefined) {
      setLatency(seconds);
      onNotice(null);
    }
  }, [onNotice]);

  return { armed, arm, recording, toggleRecord, monitoring, monitor, latency, calibrate };
}
