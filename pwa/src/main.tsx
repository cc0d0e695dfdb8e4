import { render } from "preact";

import { makeServices } from "./app/services";
import "./styles.css";
import { App } from "./ui/App";

const services = makeServices();
// Test-only: the browser tests read the photos the tablet keeps through the app, since on disk
// they are sealed. Only a script run before the app sets this object (tests/browser/conftest.py).
const hooks = (globalThis as { __TRIVSEL_TEST_HOOKS__?: Record<string, unknown> }).__TRIVSEL_TEST_HOOKS__;
if (hooks) {
  hooks["photos"] = async () =>
    Promise.all((await services.read.localPhotoHashes()).map((hash) => services.read.localPhoto(hash)));
}
// Another person signed in in another tab: this tab's key is no longer the device's, and
// whatever it wrote now could never be opened; it starts again, as that person (review #6).
// Signed out in another tab: this tab is locked (its key forgotten) and sends nothing more,
// but does not start again at once, which would race the sign-out and sign in afresh.
services.keys.onChangedElsewhere((what) => {
  services.engine.stop();
  if (what === "replaced") location.reload();
});
const root = document.getElementById("app");
if (root) render(<App services={services} />, root);

// Sending is invisible work: whenever the network returns or the app is looked at again.
// Not while the device is locked: the outbox is sealed until the PIN or a sign-in opens it.
const syncNow = () => {
  if (services.keys.unlocked) void services.engine.syncNow();
};
window.addEventListener("online", syncNow);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") syncNow();
});

// The service worker makes the app start without a network. Registered only in builds:
// in `vite dev` it would cache modules that change on every edit.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then((reg) => {
        const withSync = reg as ServiceWorkerRegistration & {
          sync?: { register: (tag: string) => Promise<void> };
        };
        return withSync.sync?.register("trivsel-sync");
      })
      .catch(() => {
        // Without a worker (or Background Sync) the app still runs; the other triggers send.
      });
  });
  navigator.serviceWorker.addEventListener("message", (event: MessageEvent) => {
    if ((event.data as { type?: string } | null)?.type === "SYNC_NOW") syncNow();
  });
}
