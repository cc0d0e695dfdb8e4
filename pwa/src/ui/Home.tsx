import type { User } from "../api/auth";
import { da } from "../i18n/da";

interface Props {
  user: User;
  onSignOut: () => void;
}

export function Home({ user, onSignOut }: Props) {
  return (
    <main class="card">
      <h1>{da.appName}</h1>
      <p>
        {da.home.signedInAs(user.name)} ({da.roles[user.role] ?? user.role})
      </p>
      <p>{da.home.comingSoon}</p>
      <button type="button" onClick={onSignOut}>
        {da.home.signOut}
      </button>
    </main>
  );
}
