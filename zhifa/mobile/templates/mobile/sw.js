/* 掌上执法 service worker (scope {{ shell }}): keeps the app shell and its static files so the
   app opens with no network. API calls always go to the network (the app queues captures in
   IndexedDB itself and never relies on a cached API answer). */
"use strict";
const CACHE = "zhifa-mobile-{{ version|addslashes }}";
const SHELL = "{{ shell }}";
const PDF_CACHE = "zhifa-mobile-pdf";  // pdfcache.js NAME
const ASSETS = [{% for a in assets %}"{{ a|addslashes }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([SHELL, ...ASSETS])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      // older shells only: the decision PDFs kept offline (pdfcache.js) outlive a new version
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("zhifa-mobile-") && k !== CACHE && k !== PDF_CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    // network first (a signed-out officer is sent to sign in), the cached shell when offline
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
          }
          return response;
        })
        .catch(() => caches.match(SHELL))
    );
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});
