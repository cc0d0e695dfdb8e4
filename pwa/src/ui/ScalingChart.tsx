import type { Series } from "../data/story";
import { da } from "../i18n/da";

// A small chart of the scaling answers, meeting by meeting: one line per person. The SVG is a
// picture for those who see it; the table after it says the same in words (and numbers).

const W = 320;
const H = 170;
const PAD = { left: 28, right: 12, top: 10, bottom: 26 };
// Colours by role, told apart by a dash pattern too (not by colour alone).
const STYLE: Record<string, { color: string; dash: string }> = {
  guardian: { color: "#0b5cad", dash: "" },
  child: { color: "#b5361c", dash: "" },
  educator: { color: "#2f7d32", dash: "6 3" },
  family_unit: { color: "#6b3fa0", dash: "2 3" },
  psychologist: { color: "#8a5a00", dash: "8 3 2 3" },
  other: { color: "#555f66", dash: "4 4" },
};

export function ScalingChart({ series, meetings, childName, current }: {
  series: Series[]; meetings: number; childName: string; current: number;
}) {
  if (series.length === 0) return <p class="hint">{da.scaling.noAnswers}</p>;
  const x = (i: number) => PAD.left + (meetings <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (meetings - 1));
  const y = (v: number) => PAD.top + ((10 - v) * (H - PAD.top - PAD.bottom)) / 10;
  const columns = Array.from({ length: meetings }, (_, i) => i);
  return (
    <figure class="scaling-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={da.scaling.chartLabel(childName)}>
        {[0, 5, 10].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#d5dbe0" />
            <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end" font-size="10">{v}</text>
          </g>
        ))}
        {columns.map((i) => (
          <text key={i} x={x(i)} y={H - 8} text-anchor="middle" font-size="10"
            font-weight={i === current ? "bold" : "normal"}>{i + 1}</text>
        ))}
        {series.map((s) => {
          const style = STYLE[s.role] ?? STYLE["other"]!;
          const points = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`)).filter(Boolean);
          return (
            <g key={s.key}>
              <polyline points={points.join(" ")} fill="none" stroke={style.color} stroke-width="2"
                stroke-dasharray={style.dash} />
              {s.values.map((v, i) => v === null ? null : (
                <circle key={i} cx={x(i)} cy={y(v)} r="3.5" fill={style.color} />
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <table class="scaling-table">
          <caption>{da.scaling.chart}</caption>
          <thead>
            <tr><th scope="col">{da.meeting.name}</th>{columns.map((i) => <th key={i} scope="col">{da.scaling.meeting(i + 1)}</th>)}</tr>
          </thead>
          <tbody>
            {series.map((s) => (
              <tr key={s.key}>
                <th scope="row">
                  <span class="swatch" style={{ borderColor: (STYLE[s.role] ?? STYLE["other"]!).color }} aria-hidden="true" />
                  {s.name} <span class="hint">({da.meeting.roles[s.role] ?? ""})</span>
                </th>
                {s.values.map((v, i) => <td key={i}>{v === null ? "–" : v}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
