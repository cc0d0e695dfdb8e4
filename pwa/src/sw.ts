/// <reference lib="webworker" />
// The service worker: the app's files come from the precache, so the app starts at the
// meeting table without a network. API calls are never cached: data lives in IndexedDB.

import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every app route (e.g. /moeder/123) opens the app shell; /api/ and /assets/ never do.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), {
    denylist: [/^\/api\//, /^\/assets\//],
  }),
);

self.addEventListener("message", (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: string } | null;
  if (data?.type === "SKIP_WAITING") void self.skipWaiting();
});

// Background Sync (Chromium): when the network returns with the app in the background, wake
// the open app to send its queue. Safari has no Background Sync; the app's own triggers
// (start, online, visibility, timer) do the same there.
self.addEventListener("sync", (event: Event) => {
  const e = event as ExtendableEvent & { tag?: string };
  if (e.tag !== "trivsel-sync") return;
  e.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      for (const w of windows) w.postMessage({ type: "SYNC_NOW" });
    }),
  );
});

clientsClaim();
