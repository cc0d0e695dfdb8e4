// A fresh world on the real server for one property run (its own institution, users, child,
// course and start meeting, made through the REST API as the admin and an educator would),
// and tablets that run the app's real store and sync engine over fake-indexeddb in Node.

import "fake-indexeddb/auto";

import { Auth, type User } from "../api/auth";
import { ApiClient } from "../api/client";
import { makeDevice } from "../app/services";
import { localDay } from "../contract/check";
import { TrivselDB } from "../db/db";
import type { PullPage, WireRecord } from "../sync/protocol";
import { isPurge, SYNC_HEADERS } from "../sync/protocol";
import { TabletNetwork } from "./http";

export const SERVER = String(import.meta.env["TRIVSEL_TEST_SERVER"] ?? "");
const ADMIN_PASSWORD = String(import.meta.env["TRIVSEL_DEMO_PASSWORD"] ?? "");
// Where a new colleague reads their e-mailed password link (tests/e2e/test_tablet_properties.py).
const MAILBOX = String(import.meta.env["TRIVSEL_TEST_MAILBOX"] ?? "");

export interface World {
  tag: string;
  password: string;
  familie: User;
  paedagog: User;
  courseId: string;
  meetingId: string;
  educator: ApiClient; // another screen, acting on the server directly
}

async function signedIn(email: string, password: string): Promise<{ api: ApiClient; user: User; net: TabletNetwork }> {
  const net = new TabletNetwork(SERVER);
  const api = new ApiClient(net.fetch);
  const user = await new Auth(api).login(email, password);
  return { api, user, net };
}

/** An account as the app makes one: one admin asks, a second approves, and the colleague
 *  chooses a password through the link e-mailed to them. */
async function newColleague(admin: ApiClient, admin2: ApiClient, body: Record<string, unknown>,
  password: string): Promise<User> {
  const user = await admin.post<User & { pending_change: { id: string } }>("/api/users", body);
  await admin2.post(`/api/users/changes/${user.pending_change.id}/approve`);
  const mail = await (await fetch(`${MAILBOX}/?to=${encodeURIComponent(String(body["email"]))}`)).json() as
    { secret: string | null };
  if (!mail.secret) throw new Error(`no password link reached ${String(body["email"])}`);
  await new ApiClient(new TabletNetwork(SERVER).fetch).post("/api/auth/password-link",
    { token: mail.secret, password });
  return user;
}

export async function newWorld(tag: string): Promise<World> {
  const { api: admin } = await signedIn("admin@example.org", ADMIN_PASSWORD);
  const password = `property-${tag}`;
  const inst = await admin.post<{ id: string }>("/api/institutions", { name: `Prøvehuset ${tag}`, kind: "daycare" });
  const { api: admin2 } = await signedIn("admin2@example.org", ADMIN_PASSWORD);
  const familie = await newColleague(admin, admin2, { email: `familie-${tag}@example.org`, name: `Frida ${tag}`,
    role: "family_unit" }, password);
  const paedagog = await newColleague(admin, admin2, { email: `paedagog-${tag}@example.org`, name: `Peter ${tag}`,
    role: "educator", institution_id: inst.id }, password);
  const { api: educator } = await signedIn(paedagog.email, password);
  // A child of six: the server requires a birth date in the last 25 years.
  const born = new Date();
  born.setFullYear(born.getFullYear() - 6);
  const child = await educator.post<{ id: string }>("/api/children", { id: crypto.randomUUID(), first_name: "Emma",
    last_name: tag, institution_id: inst.id, birth_date: localDay(born) });
  // A course needs a custody holder first (issue 23: no course without one).
  await educator.post("/api/guardians", { id: crypto.randomUUID(), child_id: child.id, name: `Maria ${tag}`,
    relation: "mor", email: `maria-${tag}@example.net`, has_custody: true });
  const today = new Date();
  const course = await educator.post<{ id: string }>("/api/courses", { id: crypto.randomUUID(), child_id: child.id,
    leader_id: familie.id, concern_level: "moderate", start_date: today.toISOString().slice(0, 10) });
  const meeting = await educator.post<{ id: string }>("/api/meetings", { id: crypto.randomUUID(), course_id: course.id,
    kind: "start", starts_at: new Date(today.getTime() + 3_600_000).toISOString() });
  return { tag, password, familie, paedagog, courseId: course.id, meetingId: meeting.id, educator };
}

/** One tablet: the app's own store, write path and sync engine, over its own IndexedDB. */
export class Tablet {
  net: TabletNetwork;
  private api!: ApiClient;
  db!: TrivselDB;
  device!: ReturnType<typeof makeDevice>;
  user!: User;

  constructor(readonly name: string, readonly email: string, private readonly password: string) {
    this.net = new TabletNetwork(SERVER);
  }

  async start(): Promise<this> {
    this.api = new ApiClient(this.net.fetch);
    this.user = await new Auth(this.api).login(this.email, this.password);
    this.open();
    await this.db.setMeta("user", this.user);
    return this;
  }

  /** The app closed and opened again: a new store and engine over the same database. */
  async restart(): Promise<void> {
    this.db.close();
    this.api = new ApiClient(this.net.fetch); // the session cookie stays, the page's token does not
    this.open();
  }

  sync(): Promise<void> {
    return this.device.engine.sendNow();
  }

  private open(): void {
    this.db = new TrivselDB(`tablet-${this.name}`);
    // Timers off: the test decides when a tablet sends, so a failing run can be replayed.
    this.device = makeDevice(this.db, this.api, { autoSend: false, setTimer: () => 0, clearTimer: () => undefined });
  }
}

/** Everything a user may read, as the server holds it now (a pull from the beginning). */
export async function serverState(email: string, password: string): Promise<Map<string, WireRecord>> {
  const { api } = await signedIn(email, password);
  const records = new Map<string, WireRecord>();
  let cursor = "";
  for (;;) {
    const page = await api.post<PullPage>("/api/sync/pull", { cursor, limit: 1000 }, SYNC_HEADERS);
    for (const change of page.changes) {
      if (!isPurge(change)) records.set(`${change.entity}:${change.id}`, change);
    }
    cursor = page.cursor;
    if (!page.more) return records;
  }
}
