// The parents' pages read offline: network first, and what was last fetched when there is
// no network. Invitations are never cached (their secret is single-use). A refusal (404,
// e.g. a revoked session) removes the cached copy, so a revoked phone stops showing it.
const CACHE = "trivsel-parent-v1";
const OFFLINE_PAGE = "/p/offline";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.add(OFFLINE_PAGE)));
  self.skipWaiting();
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (!url.pathname.startsWith("/p/") || url.pathname.startsWith("/p/invitation/")) return;
  if (url.pathname === OFFLINE_PAGE) return;
  if (url.pathname.endsWith(".pdf") || url.searchParams.get("full") === "1") return;
  event.respondWith(networkFirst(event.request));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    else if (response.status === 404) await cache.delete(request);
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    // A page never opened here (or whose access was closed): say so, in the page's words.
    if (request.mode === "navigate") return (await cache.match(OFFLINE_PAGE)) ?? Response.error();
    throw error;
  }
}
