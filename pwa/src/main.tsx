import { render } from "preact";

import { Auth } from "./api/auth";
import { ApiClient } from "./api/client";
import "./styles.css";
import { App } from "./ui/App";

const root = document.getElementById("app");
if (root) render(<App auth={new Auth(new ApiClient())} />, root);

// The service worker makes the app start without a network. Registered only in builds:
// in `vite dev` it would cache modules that change on every edit.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // Without a worker the app still runs online; nothing for the user to do.
    });
  });
}
