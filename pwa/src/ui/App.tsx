import { useEffect, useState } from "preact/hooks";

import type { Auth, User } from "../api/auth";
import { da } from "../i18n/da";
import { describeError } from "../i18n/messages";
import { Home } from "./Home";
import { SignIn } from "./SignIn";

type State = { kind: "loading" } | { kind: "signedOut" } | { kind: "signedIn"; user: User };

export function App({ auth }: { auth: Auth }) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    auth
      .me()
      .then((user) => setState(user ? { kind: "signedIn", user } : { kind: "signedOut" }))
      .catch(() => setState({ kind: "signedOut" }));
  }, [auth]);

  async function signOut() {
    try {
      await auth.logout();
      setProblem(null);
      setState({ kind: "signedOut" });
    } catch (err) {
      setProblem(describeError(err).summary);
    }
  }

  if (state.kind === "loading") return <p class="card">{da.loading}</p>;
  if (state.kind === "signedOut") {
    return <SignIn auth={auth} onSignedIn={(user) => setState({ kind: "signedIn", user })} />;
  }
  return (
    <>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      <Home user={state.user} onSignOut={signOut} />
    </>
  );
}
