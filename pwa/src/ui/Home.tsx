import type { User } from "../api/auth";
import type { Services } from "../app/services";
import { da } from "../i18n/da";
import { MeetingList } from "./MeetingList";
import { MeetingScreen } from "./MeetingScreen";
import { Outbox } from "./Outbox";
import { Overview } from "./Overview";

interface Props {
  user: User;
  services: Services;
  meetingId: string | null;
  onNavigate: (meetingId: string | null) => void;
  onSignOut: () => void;
}

export function Home({ user, services, meetingId, onNavigate, onSignOut }: Props) {
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
      </header>
      {meetingId ? (
        <>
          <button type="button" class="secondary" onClick={() => onNavigate(null)}>
            {da.meetings.back}
          </button>
          <MeetingScreen services={services} meetingId={meetingId} />
        </>
      ) : user.role === "admin" ? (
        <Outbox services={services} />
      ) : (
        <>
          <Overview services={services} user={user} onOpen={onNavigate} />
          <MeetingList services={services} onOpen={onNavigate} />
        </>
      )}
    </main>
  );
}
