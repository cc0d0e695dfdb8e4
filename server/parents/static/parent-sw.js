// The parents' pages read offline: network first, and what was last fetched when there is
// no network, but only for a while, and never after access has ended.
//
// - Kept is only what the server answered for a live session ("Trivsel-Access: live").
//   Invitations are never kept (their secret is single-use), nor downloads (PDF, full photo).
// - "Trivsel-Access: ended" (access closed, custody ended, session unknown or expired, "Glem
//   denne telefon") on any answer: every cache of the parents' app is deleted and this
//   worker unregisters, so nothing kept is shown again. Clear-Site-Data in the same answer
//   does not reach an answer fetched here, nor Safari, so the worker does it itself.
// - Each live answer records when it came (CHECKED) and the server's bound
//   (PARENT_OFFLINE_DAYS). Offline, kept pages are shown only while the last live answer is
//   younger than the bound; beyond it everything kept is deleted and the stale page says
//   the reports need a connection. A kept page older than the bound is deleted as well.
// - A kept copy is dropped only on an answer that says it is gone for this reader
//   (401/403/404/410); on a passing fault (5xx, no network) it is kept, and shown.
const PREFIX = "trivsel-parent"; // every cache this worker owns (parent.js deletes them too)
const SHELL = `${PREFIX}-shell-v2`; // pages without anyone's data, for offline answers
const PAGES = `${PREFIX}-pages-v2`; // what was read, stamped with when
const SHELL_URLS = ["/p/offline", "/p/stale", "/p/app.js"];
// The last live answer: {"checked": ms since 1970 on this phone's clock, "bound": ms}.
// tests/browser/test_phone_forgets.py writes an old one to test the bound.
const CHECKED = "/p/.checked";
const STORED_AT = "Trivsel-Stored-At";
const PRUNE_EVERY = 60_000;
// Answers that say a page or photo is gone for this reader: its kept copy goes too. Any
// other answer that is not OK (a 5xx: a passing fault) leaves the kept copy alone.
const GONE = new Set([401, 403, 404, 410]);

let forgotten = false; // this worker has forgotten and unregistered: it keeps nothing more
let lastPrune = 0;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_URLS)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => event.waitUntil((async () => {
  // Caches of earlier versions (trivsel-parent-v1 kept pages with no date) go.
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== SHELL && n !== PAGES)
    .map((n) => caches.delete(n)));
  await self.clients.claim();
})()));

self.addEventListener("fetch", (event) => {
  if (forgotten) return;
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (!url.pathname.startsWith("/p/") || url.pathname.startsWith("/p/invitation/")) return;
  if (url.pathname === "/p/sw.js") return;
  // Downloads are never kept; the browser sees their answers itself (Clear-Site-Data).
  if (url.pathname.endsWith(".pdf") || url.searchParams.get("full") === "1") return;
  if (SHELL_URLS.includes(url.pathname)) event.respondWith(shellFile(event.request));
  else event.respondWith(networkFirst(event.request));
});

async function shellFile(request) {
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(SHELL)).put(request, response.clone());
    return response;
  } catch (error) {
    return (await (await caches.open(SHELL)).match(request)) ?? Response.error();
  }
}

async function networkFirst(request) {
  let response;
  try {
    // Past the browser's HTTP cache: an answer from there (a photo is cacheable for a day)
    // is no contact with the server, and must not count as a check of the phone's access.
    response = await fetch(request, { cache: "no-store" });
  } catch (error) {
    return offline(request);
  }
  const access = response.headers.get("Trivsel-Access");
  if (access === "ended") {
    await forget();
  } else if (access === "live" && !forgotten) {
    const now = Date.now();
    const bound = Number(response.headers.get("Trivsel-Offline-Seconds")) * 1000;
    const pages = await caches.open(PAGES);
    await pages.put(CHECKED, new Response(JSON.stringify({ checked: now, bound }),
                                          { headers: { "Content-Type": "application/json" } }));
    if (response.ok) await pages.put(request, await stamped(response.clone(), now));
    else if (GONE.has(response.status)) await pages.delete(request);
    await prune(pages, bound, now);
  } else if (GONE.has(response.status)) {
    await (await caches.open(PAGES)).delete(request);
  }
  // A passing fault (the object store away: a 503 "cannot be shown now" picture): the copy
  // kept here is still this reader's and still true, so it is shown, and kept.
  if (response.status >= 500) return (await keptCopy(request)) ?? response;
  return response;
}

// The copy kept of a page or photo, if it may still be shown (within the bound since the
// server last answered, and kept within it); else undefined. Deletes nothing.
async function keptCopy(request) {
  const pages = await caches.open(PAGES);
  const state = await readState(pages);
  const now = Date.now();
  if (state === null || !(now - state.checked <= state.bound)) return undefined;
  const kept = await pages.match(request);
  return kept && isFresh(kept, state.bound, now) ? kept : undefined;
}

async function offline(request) {
  const shell = await caches.open(SHELL);
  const pages = await caches.open(PAGES);
  const state = await readState(pages);
  const now = Date.now();
  if (state !== null && !(now - state.checked <= state.bound)) {
    // Too long since the server last answered: access may have ended since. Nothing kept
    // is shown, and it is deleted (the record of the last answer stays, for this page).
    await prune(pages, -1, now);
    if (request.mode === "navigate") return (await shell.match("/p/stale")) ?? Response.error();
    return Response.error();
  }
  const kept = state === null ? undefined : await pages.match(request);
  if (kept && isFresh(kept, state.bound, now)) return kept;
  if (kept) await pages.delete(request);
  // A page never opened here (or kept too long ago): say so, in the page's words.
  if (request.mode === "navigate") return (await shell.match("/p/offline")) ?? Response.error();
  return Response.error();
}

async function readState(pages) {
  const kept = await pages.match(CHECKED);
  if (!kept) return null;
  try {
    const state = await kept.json();
    return Number.isFinite(state.checked) && Number.isFinite(state.bound) ? state : null;
  } catch {
    return null;
  }
}

// A copy to keep, stamped with when it came. A new Response also drops the "redirected"
// flag, which would make Chrome refuse the copy for a later navigation.
async function stamped(response, now) {
  const headers = new Headers(response.headers);
  headers.set(STORED_AT, String(now));
  return new Response(await response.blob(),
                      { status: response.status, statusText: response.statusText, headers });
}

function isFresh(response, bound, now) {
  const at = Number(response.headers.get(STORED_AT));
  return at > 0 && now - at <= bound;
}

// Delete kept pages older than the bound (all of them for a bound below zero). Online, at
// most once a minute: a report page with photos is several answers at once.
async function prune(pages, bound, now) {
  if (bound >= 0 && now - lastPrune < PRUNE_EVERY) return;
  lastPrune = now;
  for (const request of await pages.keys()) {
    if (new URL(request.url).pathname === CHECKED) continue;
    const kept = await pages.match(request);
    if (!kept || bound < 0 || !isFresh(kept, bound, now)) await pages.delete(request);
  }
}

async function forget() {
  forgotten = true;
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PREFIX)).map((n) => caches.delete(n)));
  await self.registration.unregister();
}
