// A track's automation lane in the arrangement: a row under the track's own, showing one target at a time (volume,
// pan or an effect's parameter, picked in its head). The lane's course is an SVG polyline across the visible part,
// its points dots. A click adds a point (time snapped to the grid as clips are, value from the height), a drag moves
// one (drawn locally until its op comes back), a double-click or Alt-click removes one, a right-click opens a menu
// of the point's curve. Every change is one `automation.set` op with the whole lane.
import { useEffect, useRef, useState, type MouseEvent as ReactMouseEvent, type PointerEvent as ReactPointerEvent } from "react";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { useLoad } from "../ui/ui";
import {
  curves, fill, insertPoint, laneOf, laneOp, movePoint, removePoint, setCurve, type AutomationCurve, type ParameterInfo, type Point, type Target,
} from "./automation";
import type { Lane, Project } from "./model";
import { isPlugin } from "./preview";
import type { OpDraft } from "./session";

export const laneHeight = 56;

/** Whose lanes these are: a track, or the master (`id` null). */
export interface LaneOwner { id: string | null; name: string; color: string; automation: Lane[] }
const pad = 5; // the lane's values are drawn between pad and laneHeight − pad

/**
 * The parameters of the effects on these chains: the built-in ones from the effect catalog (`/api/effects`), hosted
 * plugins' from their descriptions; undefined for a type not (yet) known.
 */
export function useParameterCatalog(types: string[], enabled: boolean): (type: string) => ParameterInfo[] | undefined {
  const catalog = useLoad(() => (enabled ? api.get<Schema<"EffectSpec">[]>("/api/effects") : Promise.resolve([])), [enabled]);
  const plugins = [...new Set(types.filter(isPlugin))].sort();
  const described = useLoad(
    () => Promise.all(plugins.map((id) => api.get<Schema<"PluginInfo">>(`/api/plugins/describe?id=${encodeURIComponent(id)}`).then((info) => [id, info] as const, () => [id, null] as const))),
    [enabled ? plugins.join("|") : ""],
  );
  return (type: string) => {
    if (isPlugin(type)) {
      const info = described.data?.find(([id]) => id === type)?.[1];
      return info?.parameters.map((p) => ({ name: p.id, label: p.name, min: p.min, max: p.max, unit: p.unit, default: p.default }));
    }
    const spec = catalog.data?.find((e) => e.type === type);
    return spec?.parameters.map((p) => ({ name: p.name, label: p.description || p.name, min: p.min, max: p.max, unit: p.unit, default: p.default, automatable: p.automatable }));
  };
}

/** The head of an automation row: which control the lane shows, and clearing it. */
export function AutomationHead(props: { track: LaneOwner; targets: Target[]; target: string; canEdit: boolean; onTarget: (target: string) => void; onEdit: (op: OpDraft) => void }) {
  const { track, targets, target } = props;
  const lane = laneOf(track.automation, target);
  return (
    <div className="track-head automation-head" style={{ height: laneHeight }} onPointerDown={(e) => e.stopPropagation()}>
      <div className="row">
        <select aria-label={`Automation target ${track.name}`} value={target} onChange={(e) => props.onTarget(e.target.value)}>
          {targets.map((t) => (
            <option key={t.target} value={t.target}>
              {t.label}{laneOf(track.automation, t.target) ? " •" : ""}
            </option>
          ))}
        </select>
        {lane && props.canEdit && (
          <button className="small secondary" aria-label={`Clear automation ${track.name}`} title="Remove this lane" onClick={() => props.onEdit(laneOp(track.id, target, []))}>✕</button>
        )}
      </div>
      <span className="muted">{lane ? `${lane.points.length} point${lane.points.length === 1 ? "" : "s"}` : props.canEdit ? "click the lane to draw" : "no lane"}</span>
    </div>
  );
}

interface Props {
  track: LaneOwner;
  project: Project;
  target: Target;
  width: number;
  /** The visible part of the lane, in pixels: the curve is drawn over it only. */
  from: number;
  to: number;
  toPx: (samples: number) => number;
  toSamples: (px: number) => number;
  place: (samples: number) => number;
  canEdit: boolean;
  onEdit: (op: OpDraft) => void;
}

/** A point being dragged: the lane as it was when the drag began, so the preview is always that lane with one point moved. */
type Drag = { index: number; x0: number; y0: number; base: Point[]; moved: boolean };

export function AutomationRow({ track, project, target, width, from, to, toPx, toSamples, place, canEdit, onEdit }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const lane = laneOf(track.automation, target.target);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [preview, setPreview] = useState<Point[] | null>(null);
  const [menu, setMenu] = useState<{ index: number; x: number; y: number } | null>(null);
  const points = preview ?? lane?.points ?? [];

  // A drag's preview stays until its op comes back as a new version (or is rejected).
  useEffect(() => {
    if (!drag) setPreview(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project.version]);

  const span = target.max - target.min;
  const toY = (value: number) => pad + (1 - (Math.min(target.max, Math.max(target.min, value)) - target.min) / span) * (laneHeight - 2 * pad);
  // Values are kept to a thousandth of the range, so a click does not send fifteen digits.
  const toValue = (y: number) => {
    const raw = target.max - ((y - pad) / (laneHeight - 2 * pad)) * span;
    const step = Math.pow(10, Math.floor(Math.log10(span / 1000)));
    return Math.min(target.max, Math.max(target.min, Math.round(raw / step) * step));
  };
  const at = (e: { clientX: number; clientY: number }) => {
    const box = svg.current!.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  };
  const send = (next: Point[]) => onEdit(laneOp(track.id, target.target, next));
  const format = (v: number) => `${Number(v.toPrecision(3))}${target.unit ? ` ${target.unit}` : ""}`;

  function add(e: ReactMouseEvent<SVGRectElement>) {
    if (!canEdit || e.button !== 0 || e.detail > 1 || e.altKey) return;
    const { x, y } = at(e);
    // The new point takes the curve of the segment it splits, so the lane's shape around it stays the same kind.
    const next = insertPoint(points, { time: place(toSamples(x)), value: toValue(y), curve: "linear" });
    const previous = next.points[next.index - 1];
    if (previous) next.points[next.index] = { ...next.points[next.index], curve: previous.curve };
    setPreview(next.points);
    send(next.points);
  }

  function down(e: ReactPointerEvent<SVGCircleElement>, index: number) {
    e.stopPropagation();
    setMenu(null);
    if (!canEdit || e.button !== 0) return;
    if (e.altKey) {
      remove(index);
      return;
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ index, x0: e.clientX, y0: e.clientY, base: points, moved: false });
  }

  function move(e: ReactPointerEvent) {
    if (!drag) return;
    const dx = e.clientX - drag.x0;
    const dy = e.clientY - drag.y0;
    if (!drag.moved && Math.abs(dx) < 3 && Math.abs(dy) < 3) return;
    const point = drag.base[drag.index];
    const time = place(point.time + toSamples(Math.abs(dx)) * Math.sign(dx));
    if (!drag.moved) setDrag({ ...drag, moved: true });
    setPreview(movePoint(drag.base, drag.index, time, toValue(toY(point.value) + dy)));
  }

  function up() {
    if (!drag) return;
    setDrag(null);
    if (drag.moved && preview) send(preview);
    else setPreview(null);
  }

  function remove(index: number) {
    const next = removePoint(points, index);
    setPreview(next);
    send(next);
  }

  function curve(index: number, value: AutomationCurve) {
    setMenu(null);
    const next = setCurve(points, index, value);
    setPreview(next);
    send(next);
  }

  // The course across the visible part, a vertex every 3 px (and at each point, so a step or a jump stays sharp).
  let line = "";
  if (points.length) {
    const left = Math.max(0, from);
    const right = Math.min(width, to);
    const vertices: [number, number][] = [];
    const step = 3;
    const count = Math.max(2, Math.ceil((right - left) / step) + 1);
    const times = Array.from({ length: count }, (_, i) => toSamples(left + ((right - left) * i) / (count - 1)));
    for (const p of points) {
      const x = toPx(p.time);
      if (x >= left && x <= right) times.push(p.time, p.time - 0.5);
    }
    times.sort((a, b) => a - b);
    for (const t of times) {
      const v = fill(points, t, 1)[0];
      vertices.push([toPx(t), toY(v)]);
    }
    line = vertices.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  }

  return (
    <div className="track-row automation-row" style={{ height: laneHeight }} aria-label={`Automation lane ${track.name}`} onPointerDown={(e) => e.stopPropagation()}>
      <svg ref={svg} width={width} height={laneHeight} onPointerMove={move} onPointerUp={up} onContextMenu={(e) => e.preventDefault()}>
        <rect className="automation-area" x={0} y={0} width={width} height={laneHeight} onClick={add} data-testid={`automation-area-${track.name}`} />
        {!lane && !preview && <line x1={Math.max(0, from)} x2={Math.min(width, to)} y1={toY(target.value)} y2={toY(target.value)} className="automation-setting" />}
        {line && <polyline points={line} className="automation-line" style={{ stroke: track.color }} />}
        {points.map((p, index) => {
          const x = toPx(p.time);
          if ((x < from || x > to) && drag?.index !== index) return null;
          return (
            <circle
              key={index}
              className="automation-point"
              cx={x}
              cy={toY(p.value)}
              r={5}
              style={{ fill: track.color }}
              data-index={index}
              aria-label={`Point ${index + 1}: ${format(p.value)}`}
              onPointerDown={(e) => down(e, index)}
              onDoubleClick={() => canEdit && remove(index)}
              onContextMenu={(e) => {
                e.preventDefault();
                if (!canEdit) return;
                const box = svg.current!.getBoundingClientRect();
                setMenu({ index, x: e.clientX - box.left, y: e.clientY - box.top });
              }}
            >
              <title>{`${format(p.value)} · ${p.curve} · Alt-click or double-click to remove, right-click for the curve`}</title>
            </circle>
          );
        })}
      </svg>
      {menu && points[menu.index] && (
        <div className="automation-menu" role="menu" aria-label="Curve" style={{ left: menu.x, top: Math.min(menu.y, 4) }}>
          {curves.map((c) => (
            <button key={c.curve} role="menuitemradio" aria-checked={points[menu.index].curve === c.curve} className="small secondary" onClick={() => curve(menu.index, c.curve)}>
              {c.label}
            </button>
          ))}
          <button role="menuitem" className="small danger" onClick={() => { setMenu(null); remove(menu.index); }}>Remove point</button>
          <button role="menuitem" className="small link" onClick={() => setMenu(null)}>Close</button>
        </div>
      )}
    </div>
  );
}
