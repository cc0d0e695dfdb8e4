// Hybrid logical clock stamps, exactly as sync/PROTOCOL.md ("Clock stamps") and
// sync/clock.py define them: "<13-digit wall ms>:<5-digit counter>:<node>", ordered as strings.

export interface Stamp {
  wall: number;
  counter: number;
  node: string;
}

const MAX_COUNTER = 99_999;
const PATTERN = /^(\d{13}):(\d{5}):([A-Za-z0-9-]{1,64})$/;

export function format(s: Stamp): string {
  return `${String(s.wall).padStart(13, "0")}:${String(s.counter).padStart(5, "0")}:${s.node}`;
}

export function parse(text: string): Stamp {
  const m = PATTERN.exec(text);
  if (!m) throw new Error(`not a clock stamp: ${text}`);
  return { wall: Number(m[1]), counter: Number(m[2]), node: m[3] ?? "" };
}

export class Clock {
  private last: Stamp;

  constructor(
    readonly node: string,
    private readonly now: () => number = () => Date.now(),
    last?: string,
  ) {
    this.last = last ? { ...parse(last), node } : { wall: 0, counter: 0, node };
  }

  /** A stamp for a local edit, later than every stamp this clock made. (Pulled records carry
   * no stamps, so there is nothing from elsewhere to take into account.) */
  tick(): string {
    const wall = Math.max(this.now(), this.last.wall);
    const counter = wall === this.last.wall ? this.last.counter + 1 : 0;
    return this.set(wall, counter);
  }

  private set(wall: number, counter: number): string {
    if (counter > MAX_COUNTER) {
      wall += 1;
      counter = 0;
    }
    this.last = { wall, counter, node: this.node };
    return format(this.last);
  }
}
