import { useState } from "preact/hooks";

import type { User } from "../api/auth";
import { useLive } from "../app/live";
import type { Services } from "../app/services";
import { da } from "../i18n/da";
import { AdminHome } from "./admin/AdminHome";
import { MeetingList } from "./MeetingList";
import { MeetingScreen } from "./MeetingScreen";
import { MyAccount } from "./MyAccount";
import { NEW_COURSE_DRAFT, NewCourse } from "./NewCourse";
import { Overview } from "./Overview";

interface Props {
  user: User;
  services: Services;
  meetingId: string | null;
  onNavigate: (meetingId: string | null) => void;
  onSignOut: () => void;
}

export function Home({ user, services, meetingId, onNavigate, onSignOut }: Props) {
  const [opened, setOpened] = useState(false);
  const mayOpen = user.role === "family_unit" || user.role === "educator";
  // A new course left half filled in (a reload, a crashed tab) opens again with what was typed.
  const drafted = useLive(async () => (await services.drafts.keysUnder(NEW_COURSE_DRAFT)).has(NEW_COURSE_DRAFT),
    [services.drafts], false);
  const opening = mayOpen && (opened || drafted);
  return (
    <main class="app">
      <header class="top">
        <h1>{da.appName}</h1>
        <p>
          {da.home.signedInAs(user.name)} ({da.roles[user.role] ?? user.role})
        </p>
        <button type="button" class="secondary" onClick={onSignOut}>
          {da.home.signOut}
        </button>
        <MyAccount api={services.api} />
      </header>
      {meetingId ? (
        <>
          <button type="button" class="secondary" onClick={() => onNavigate(null)}>
            {da.meetings.back}
          </button>
          <MeetingScreen services={services} meetingId={meetingId} />
        </>
      ) : user.role === "admin" ? (
        <AdminHome services={services} user={user} />
      ) : opening ? (
        <NewCourse services={services} user={user} onCancel={() => setOpened(false)}
          onCreated={(id) => { setOpened(false); onNavigate(id); }} />
      ) : (
        <>
          {mayOpen && (
            <button type="button" onClick={() => setOpened(true)}>{da.newCourse.open}</button>
          )}
          <Overview services={services} user={user} onOpen={onNavigate} />
          <MeetingList services={services} onOpen={onNavigate} />
        </>
      )}
    </main>
  );
}
