import { render } from "preact";

import { makeServices } from "./app/services";
import "./styles.css";
import { App } from "./ui/App";

const services = makeServices();
const root = document.getElementById("app");
if (root) render(<App services={services} />, root);

// Sending is invisible work: whenever the network returns or the app is looked at again.
window.addEventListener("online", () => void services.engine.syncNow());
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") void services.engine.syncNow();
});

// The service worker makes the app start without a network. Registered only in builds:
// in `vite dev` it would cache modules that change on every edit.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // Without a worker the app still runs online; nothing for the user to do.
    });
  });
}
