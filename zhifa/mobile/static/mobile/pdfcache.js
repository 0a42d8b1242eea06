/* 掌上执法: the PDFs of the officer's recent on-the-spot decisions (当场处罚决定书) kept on the phone,
   so “查看” and “分享” work with no network. Cache Storage "zhifa-mobile-pdf", one entry per
   decision (its inline URL); bounded to the newest LIMIT of the bundle's list (the server lists
   the last 30 days only), entries no longer listed are deleted at each refresh, and the whole
   cache is deleted on sign-out (the app's “退出”, or when the server says the session ended). */
"use strict";
(function () {
  const NAME = "zhifa-mobile-pdf";
  const LIMIT = 20;
  const inline = (pdf) => new URL(pdf + "?inline=1", window.location.origin).href;

  async function refresh(decisions) {
    if (!("caches" in window) || !navigator.onLine) return;
    const cache = await caches.open(NAME);
    const wanted = decisions.slice(0, LIMIT).map((d) => inline(d.pdf));
    for (const request of await cache.keys()) {
      if (!wanted.includes(request.url)) await cache.delete(request);
    }
    for (const url of wanted) {
      if (await cache.match(url)) continue;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok && (response.headers.get("Content-Type") || "").includes("pdf")) await cache.put(url, response);
      } catch (error) {
        return;  // the network went away: the next refresh continues
      }
    }
    document.body.dataset.pdfCached = String((await cache.keys()).length);
  }

  /** The cached PDF of a decision as a Blob, or null. */
  async function blob(pdf) {
    if (!("caches" in window)) return null;
    const hit = await (await caches.open(NAME)).match(inline(pdf));
    return hit ? hit.blob() : null;
  }

  function clear() {
    return "caches" in window ? caches.delete(NAME) : Promise.resolve(false);
  }

  window.ZhifaPdfCache = { refresh, blob, clear, LIMIT };

  const signOut = document.getElementById("sign-out");
  if (signOut) {
    signOut.addEventListener("submit", (event) => {
      event.preventDefault();
      clear().finally(() => signOut.submit());
    });
  }
})();
