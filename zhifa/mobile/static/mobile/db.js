/* 掌上执法: the device's IndexedDB (database "zhifa-mobile").
   Stores: "bundle" (the offline bundle of assigned cases and inspections, key "current") and
   "queue" (captured items, keyPath "key" = the client-made idempotency key, index "seq" = the
   order of capture). A captured file is kept as a Blob inside its queue item. */
"use strict";
(function () {
  const NAME = "zhifa-mobile";
  const VERSION = 1;
  let opened = null;

  function open() {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("bundle")) db.createObjectStore("bundle");
        if (!db.objectStoreNames.contains("queue")) {
          const queue = db.createObjectStore("queue", { keyPath: "key" });
          queue.createIndex("seq", "seq", { unique: true });
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opened;
  }

  function run(storeName, mode, work) {
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const store = tx.objectStore(storeName);
      let result;
      Promise.resolve(work(store)).then((value) => { result = value; });
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    }));
  }

  function req(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  window.ZhifaDB = {
    saveBundle(bundle) { return run("bundle", "readwrite", (s) => { s.put(bundle, "current"); }); },
    loadBundle() { return run("bundle", "readonly", (s) => req(s.get("current"))); },
    put(item) { return run("queue", "readwrite", (s) => { s.put(item); }); },
    get(key) { return run("queue", "readonly", (s) => req(s.get(key))); },
    /** Every queued item in the order it was captured. */
    all() { return run("queue", "readonly", (s) => req(s.index("seq").getAll())); },
    /** The next sequence number (one more than the last captured). */
    nextSeq() {
      return run("queue", "readonly", (s) => req(s.index("seq").openCursor(null, "prev"))
        .then((cursor) => (cursor ? cursor.value.seq + 1 : 1)));
    },
  };
})();
