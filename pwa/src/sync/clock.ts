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

  /** A stamp for a local edit, later than every stamp this clock made or saw. */
  tick(): string {
    const wall = Math.max(this.now(), this.last.wall);
    const counter = wall === this.last.wall ? this.last.counter + 1 : 0;
    return this.set(wall, counter);
  }

  /** Take a stamp from elsewhere into account (e.g. from a pulled record). */
  observe(remote: string): string {
    const r = parse(remote);
    const wall = Math.max(this.now(), this.last.wall, r.wall);
    let counter = 0;
    if (wall === this.last.wall && wall === r.wall) counter = Math.max(this.last.counter, r.counter) + 1;
    else if (wall === this.last.wall) counter = this.last.counter + 1;
    else if (wall === r.wall) counter = r.counter + 1;
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
