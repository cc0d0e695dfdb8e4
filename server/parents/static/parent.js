// The parents' pages' one script (served as /p/app.js; the pages carry no inline script).
// It registers the service worker that keeps pages for offline reading (parent-sw.js),
// shows whether the page is live or a kept copy, and makes the phone forget: on the page
// that answers "Glem denne telefon" (<body data-forget>) and whenever the server says this
// phone's access has ended. The service worker forgets by itself on such an answer too;
// this covers a phone whose worker did not see it (a HEAD check, a POST, or no worker).

// Every cache of the parents' app starts so (parent-sw.js); the staff app's are not ours.
const CACHE_PREFIX = "trivsel-parent";
// A comment's words not yet sent, per form, in this tab only (see keepDrafts).
const DRAFT_PREFIX = "trivsel-parent-draft:";

async function forgetPhone() {
  if ("caches" in self) {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX)).map((n) => caches.delete(n)));
  }
  forgetDrafts();
  if ("serviceWorker" in navigator) {
    const registrations = await navigator.serviceWorker.getRegistrations();
    await Promise.all(registrations
      .filter((r) => new URL(r.scope).pathname === "/p/")
      .map((r) => r.unregister()));
  }
  document.body.dataset.forgotten = "done"; // for the browser tests: the work is finished
}

const forgetting = document.body.hasAttribute("data-forget");
const notice = document.getElementById("offline");

// Is this page live or the copy kept for offline reading? A HEAD request is never answered
// by the service worker, so it tells; its answer also says whether access has ended.
async function check() {
  try {
    const r = await fetch("/p/online", { method: "HEAD", cache: "no-store" });
    notice.hidden = r.ok;
    return r.headers.get("Trivsel-Access");
  } catch {
    notice.hidden = false;
    return null;
  }
}

async function start() {
  const access = await check();
  // Registered only after the check: a phone told to forget must not install the worker
  // again while its registration is being removed.
  if (forgetting || access === "ended") await forgetPhone();
  else if ("serviceWorker" in navigator) {
    await navigator.serviceWorker.register("/p/sw.js", { scope: "/p/" });
  }
}

function forgetDrafts() {
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(key);
  }
}

// Nothing typed is lost offline (issue 21). What is typed in a comment form (data-draft) is
// kept for this tab (sessionStorage: gone when the tab is closed, or the phone forgotten)
// and put back into the field when the page is shown again empty (the copy kept for offline
// reading) until a send with a network.
function keepDrafts() {
  for (const form of document.querySelectorAll("form[data-draft]")) {
    const field = form.querySelector("textarea");
    if (!field) continue;
    const key = DRAFT_PREFIX + form.getAttribute("action");
    const kept = sessionStorage.getItem(key);
    if (kept && !field.value) field.value = kept;
    field.addEventListener("input", () => {
      if (field.value) sessionStorage.setItem(key, field.value);
      else sessionStorage.removeItem(key);
    });
    form.addEventListener("sending", () => sessionStorage.removeItem(key));
  }
}

// No dead end offline: without a network a form's POST would leave the page for the
// browser's own error page (and a comment's words with it). So every parents' form that
// sends (data-draft, data-online) first asks the server (a HEAD, which the service worker
// never answers); without an answer the page stays, its button too, and the form's
// [data-offline-warning] says in the page's words that nothing was sent.
function sendOnlyOnline() {
  for (const form of document.querySelectorAll("form[data-draft], form[data-online]")) {
    const warning = form.querySelector("[data-offline-warning]");
    let checking = false;
    let checked = false; // the server answered: the next submit goes through
    form.addEventListener("submit", async (event) => {
      if (checked) {
        checked = false;
        form.dispatchEvent(new Event("sending"));
        return;
      }
      event.preventDefault();
      if (checking) return;
      checking = true;
      // Any answer will do: one that says access has ended is the server's to show.
      let online = false;
      try {
        await fetch("/p/online", { method: "HEAD", cache: "no-store" });
        online = true;
      } catch {
        online = false;
      }
      checking = false;
      if (warning) warning.hidden = online;
      if (!online) return;
      checked = true;
      // requestSubmit, not submit(): the tapped button's name and value (the consent's
      // "answer") go with the form, as they would have without this check.
      form.requestSubmit(event.submitter ?? undefined);
    });
  }
}

const recheck = () => check().then((access) => {
  if (access === "ended") forgetPhone();
});
addEventListener("online", recheck);
addEventListener("offline", recheck);
keepDrafts();
sendOnlyOnline();
start();
