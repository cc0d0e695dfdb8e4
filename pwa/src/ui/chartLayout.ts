import type { Series } from "../data/story";

// The scaling chart's geometry, the same as the parents' page and the PDF draw
// (server/reports/chart.py: keep the two in step). Each person is told apart without colour
// (issue 21): a marker shape and a dash of their own by their place in the series, never by
// role, so a mother and a father differ; people who gave a meeting the same answer sit side
// by side; the axes are titled.

export const WIDTH = 320;
const LEFT = 34;
const RIGHT = 14;
const TOP = 10;
const PLOT_HEIGHT = 130;
const AXIS_SPACE = 34;
const LEGEND_ROW = 16;
const DODGE = 9;
const COLORS = ["#0b5cad", "#b5361c", "#2f7d32", "#6b3fa0", "#8a5a00", "#555f66"] as const;
const DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"] as const;
export const MARKERS = ["circle", "square", "triangle", "diamond", "triangle_down", "cross"] as const;
export type Marker = (typeof MARKERS)[number];

type Point = [number, number];

export interface PlacedLine {
  series: Series;
  color: string;
  dash: string;
  marker: Marker;
  points: Point[];
  legend: Point;
}

export interface ChartLayout {
  width: number;
  height: number;
  lines: PlacedLine[];
  grid: Array<{ value: number; y: number }>;
  columns: Array<{ n: number; x: number }>;
  left: number;
  right: number;
  bottom: number; // baseline of the meeting numbers
  axisTitle: number; // baseline of "Møde"
  middle: number; // the middle of the 0 to 10 scale (the value axis's title)
}

/** A marker centred on (x, y) as a polygon; [] for the circle. */
export function markerPoints(shape: Marker, x: number, y: number, r = 4.5): Point[] {
  switch (shape) {
    case "circle":
      return [];
    case "square": {
      const s = r * 0.85;
      return [[x - s, y - s], [x + s, y - s], [x + s, y + s], [x - s, y + s]];
    }
    case "triangle":
      return [[x, y - r * 1.1], [x + r, y + r * 0.8], [x - r, y + r * 0.8]];
    case "triangle_down":
      return [[x, y + r * 1.1], [x + r, y - r * 0.8], [x - r, y - r * 0.8]];
    case "diamond":
      return [[x, y - r * 1.2], [x + r, y], [x, y + r * 1.2], [x - r, y]];
    case "cross": {
      const w = r * 0.4;
      return [
        [x - w, y - r], [x + w, y - r], [x + w, y - w], [x + r, y - w],
        [x + r, y + w], [x + w, y + w], [x + w, y + r], [x - w, y + r],
        [x - w, y + w], [x - r, y + w], [x - r, y - w], [x - w, y - w],
      ];
    }
  }
}

const f = (n: number) => n.toFixed(1);

export function markerPath(shape: Marker, x: number, y: number, r = 4.5): string {
  const points = markerPoints(shape, x, y, r);
  if (points.length === 0) return `M${f(x - r)},${f(y)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
  return `M${points.map(([px, py]) => `${f(px)},${f(py)}`).join("L")}Z`;
}

export function layout(series: Series[], meetings: number): ChartLayout {
  const count = Math.max(1, meetings);
  const margin = (DODGE * series.length) / 2;
  const inner = WIDTH - LEFT - RIGHT - 2 * margin;
  const plotBottom = TOP + PLOT_HEIGHT;
  const x = (i: number) => LEFT + margin + (count < 2 ? inner / 2 : (i * inner) / (count - 1));
  const y = (v: number) => TOP + ((10 - v) * PLOT_HEIGHT) / 10;
  // Side by side: the people who gave meeting i the same answer as person n.
  const offset = (n: number, i: number) => {
    const value = series[n]!.values[i];
    const same = series.flatMap((s, m) => (s.values[i] === value ? [m] : []));
    return (same.indexOf(n) - (same.length - 1) / 2) * DODGE;
  };
  const legendTop = plotBottom + AXIS_SPACE + 8;
  const lines = series.map((s, n): PlacedLine => ({
    series: s,
    color: COLORS[n % COLORS.length]!,
    dash: DASHES[n % DASHES.length]!,
    marker: MARKERS[n % MARKERS.length]!,
    points: s.values.flatMap((v, i): Point[] => (v === null ? [] : [[x(i) + offset(n, i), y(v)]])),
    legend: [LEFT + 8, legendTop + n * LEGEND_ROW],
  }));
  return {
    width: WIDTH,
    height: legendTop + series.length * LEGEND_ROW,
    lines,
    grid: [0, 2, 4, 6, 8, 10].map((value) => ({ value, y: y(value) })),
    columns: Array.from({ length: count }, (_, i) => ({ n: i + 1, x: x(i) })),
    left: LEFT,
    right: WIDTH - RIGHT,
    bottom: plotBottom + 14,
    axisTitle: plotBottom + 28,
    middle: (y(0) + y(10)) / 2,
  };
}
