import type { Series } from "../data/story";
import { da } from "../i18n/da";
import { layout, markerPath } from "./chartLayout";

// A small chart of the scaling answers, meeting by meeting: one line per person, each with a
// marker, a dash and a legend line of its own (chartLayout.ts). The SVG is a picture for
// those who see it; the table after it says the same in words (and numbers).

// A goal's own scale (Goals.tsx) is drawn the same way, with its own names: `label` for the
// picture, `caption` and `id` for its table (one page shows several).
export function ScalingChart({ series, meetings, childName, current, label, caption, id = "scaling" }: {
  series: Series[]; meetings: number; childName: string; current: number;
  label?: string; caption?: string; id?: string;
}) {
  if (series.length === 0) return <p class="hint">{da.scaling.noAnswers}</p>;
  const chart = layout(series, meetings);
  const who = (s: Series) => {
    const role = da.meeting.roles[s.role];
    return role ? `${s.name} (${role})` : s.name;
  };
  return (
    <figure class="scaling-chart">
      <svg viewBox={`0 0 ${chart.width} ${chart.height}`} role="img"
        aria-label={`${label ?? da.scaling.chartLabel(childName)}. ${da.scaling.seeTable}`}>
        {chart.grid.map(({ value, y }) => (
          <g key={value}>
            <line x1={chart.left} x2={chart.right} y1={y} y2={y}
              stroke={value === 0 || value === 10 ? "#8a949b" : "#e3e7ea"} />
            <text x={chart.left - 6} y={y + 4} text-anchor="end" font-size="10">{value}</text>
          </g>
        ))}
        <text transform={`translate(9 ${chart.middle}) rotate(-90)`} text-anchor="middle" font-size="10">
          {da.scaling.axisValue}
        </text>
        {chart.columns.map(({ n, x }) => (
          <text key={n} x={x} y={chart.bottom} text-anchor="middle" font-size="10"
            font-weight={n - 1 === current ? "bold" : "normal"}>{n}</text>
        ))}
        <text x={(chart.left + chart.right) / 2} y={chart.axisTitle} text-anchor="middle" font-size="10">
          {da.scaling.axisMeeting}
        </text>
        {chart.lines.map((line) => (
          <g key={line.series.key} class="serie" data-marker={line.marker}>
            <polyline points={line.points.map(([x, y]) => `${x},${y}`).join(" ")} fill="none"
              stroke={line.color} stroke-width="2" stroke-dasharray={line.dash} />
            {line.points.map(([x, y], i) => (
              <path key={i} d={markerPath(line.marker, x, y)} fill={line.color} stroke="#fff" stroke-width="1.2" />
            ))}
          </g>
        ))}
        {chart.lines.map((line) => {
          const [x, y] = line.legend;
          return (
            <g key={line.series.key} class="legend" data-marker={line.marker}>
              <line x1={x - 8} x2={x + 8} y1={y} y2={y} stroke={line.color} stroke-width="2"
                stroke-dasharray={line.dash} />
              <path d={markerPath(line.marker, x, y)} fill={line.color} stroke="#fff" stroke-width="1.2" />
              <text x={x + 14} y={y + 4} font-size="11">{who(line.series)}</text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {/* Focusable and named in case it must scroll (axe: scrollable-region-focusable); it
            scrolls from the newest meeting (styles.css: rtl puts its start at the right). */}
        <div class="table-scroll" role="region" tabIndex={0} aria-labelledby={`${id}-table-caption`}>
          <table class="scaling-table">
            <caption id={`${id}-table-caption`}>{caption ?? da.scaling.chart}</caption>
            <thead>
              <tr><th scope="col">{da.meeting.name}</th>{chart.columns.map(({ n }) => <th key={n} scope="col">{da.scaling.meeting(n)}</th>)}</tr>
            </thead>
            <tbody>
              {chart.lines.map((line) => (
                <tr key={line.series.key}>
                  <th scope="row">
                    <svg class="swatch" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
                      <path d={markerPath(line.marker, 6, 6, 5)} fill={line.color} />
                    </svg>
                    {line.series.name} <span class="hint">({da.meeting.roles[line.series.role] ?? ""})</span>
                  </th>
                  {line.series.values.map((v, i) => <td key={i}>{v === null ? "–" : v}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </figcaption>
    </figure>
  );
}
