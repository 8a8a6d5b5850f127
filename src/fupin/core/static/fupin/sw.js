/* fupin's service worker, for a phone without signal (docs/architecture.md, "Offline capture").
 *
 * Served at /sw.js by core.views.service_worker, which writes its settings before this file:
 * self.FUPIN_SW = {version, shell: [the shell's static URLs], fallback: "/outbox/"}.
 *
 * What it does, and nothing else:
 * - keeps a copy of the shell's static files and of the outbox page, in a cache named by the version
 *   (a digest of those files: a deploy that changes one makes a new worker, which drops the old copy).
 *   The outbox page is fetched signed out, so the copy holds nothing of anyone: its list is drawn in
 *   the browser from the phone's own outbox (IndexedDB);
 * - answers those static files from the copy;
 * - lets every page go to the network and, only when the network fails, answers with the kept outbox
 *   page, which says the page could not be opened and lists what waits to be sent.
 * It keeps no page the server sends, and never touches a POST, an API call, a photo or an export:
 * personal data stays on the server (and in the outbox the user filled themselves).
 */
"use strict";

const CONFIG = self.FUPIN_SW;
const PREFIX = "fupin-shell-";
const CACHE = PREFIX + CONFIG.version;
const SHELL = new Set(CONFIG.shell);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(CONFIG.shell);
      const page = await fetch(new Request(CONFIG.fallback, { credentials: "omit", cache: "no-store" }));
      if (!page.ok) throw new Error(`${CONFIG.fallback}: ${page.status}`);
      await cache.put(CONFIG.fallback, page);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

async function page(event) {
  try {
    const preloaded = await event.preloadResponse;
    return preloaded || (await fetch(event.request));
  } catch (error) {
    // No network: the kept outbox page (it says this page could not be opened).
    return (await caches.match(CONFIG.fallback, { cacheName: CACHE })) || Response.error();
  }
}

async function shellFile(request, path) {
  return (await caches.match(path, { cacheName: CACHE })) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (SHELL.has(url.pathname) && !url.search) {
    event.respondWith(shellFile(request, url.pathname));
  }
});
