/* 掌上执法 app: offline bundle, capture queue and exactly-once sync (docs/mobile.md).

   Sync protocol, one item at a time in the order captured:
   1. PUT /api/mobile/captures/<key>/ with the item (JSON). The server creates the capture once
      per key; every repeat returns the same row.
   2. For a file, while the answer says "receiving", PATCH the bytes to the upload's URL from the
      offset the server reports (断点续传), then PUT again: the server checks the SHA-256 the device
      computed and attaches the item. A page closed half-way resumes from the server's offset.
   3. The item keeps the server's answer: 已入卷 (accepted) or 冲突 (conflict, shown, never dropped). */
"use strict";
(function () {
  const body = document.body;
  const CHUNK = parseInt(body.dataset.chunk, 10) || 1048576;
  const CAPTURES = body.dataset.captures;
  const $ = (id) => document.getElementById(id);
  const STATES = {
    pending: "待同步", uploading: "上传中", receiving: "上传中", accepted: "已入卷", conflict: "冲突待处理",
    attached_with_note: "已附说明补录", discarded: "已作废", error: "提交失败",
  };
  let bundle = null;
  let syncing = null;

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function headers(extra) {
    return Object.assign({ "X-CSRFToken": csrfToken(), Accept: "application/json" }, extra || {});
  }

  function notice(text) { $("notice").textContent = text || ""; }

  function showNet() {
    const online = navigator.onLine;
    $("net").textContent = online ? "在线" : "离线";
    $("net").className = online ? "net online" : "net offline";
  }

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer)).map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  function position() {
    if (!navigator.geolocation) return Promise.resolve(null);
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
        () => resolve(null),
        { timeout: 5000, maximumAge: 60000 }
      );
    });
  }

  // --- the offline bundle ------------------------------------------------------------------------

  function option(value, text) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  function renderBundle() {
    if (!bundle) return;
    $("bundle-time").textContent = "离线数据更新于 " + new Date(bundle.generated_at).toLocaleString("zh-CN");
    const caseSelect = $("case");
    const chosen = caseSelect.value;
    caseSelect.replaceChildren(...bundle.cases.map((c) => option(c.id, `${c.number} ${c.cause}（${c.stage_name}）`)));
    if (chosen) caseSelect.value = chosen;
    const kindSelect = $("kind");
    if (!kindSelect.options.length) kindSelect.replaceChildren(...bundle.kinds.map((k) => option(k.code, k.name)));
    $("cases").replaceChildren(...bundle.cases.map((c) => {
      const li = document.createElement("li");
      li.textContent = `${c.number} ${c.cause} · ${c.party} · ${c.stage_name}`;
      return li;
    }));
    $("inspections").replaceChildren(...(bundle.inspections.length ? bundle.inspections.map((i) => {
      const li = document.createElement("li");
      li.textContent = `${i.number} ${i.party} · ${i.stage_name}`;
      return li;
    }) : [Object.assign(document.createElement("li"), { textContent: "暂无待进行的检查。" })]));
    if (window.ZhifaShare) window.ZhifaShare.render($("decisions"), bundle.decisions || []);
    const scanSelect = $("scan-inspection");
    scanSelect.replaceChildren(...bundle.inspections.filter((i) => i.stage === "notified" || i.stage === "on_site")
      .map((i) => option(i.id, `${i.number} ${i.party}（${i.stage_name}）`)));
    toggleFields();
    document.dispatchEvent(new CustomEvent("zhifa:bundle"));  // spot.js (当场处罚) renders its part
  }

  function refreshBundle() {
    if (!navigator.onLine) return Promise.resolve();
    return fetch(body.dataset.bundle, { headers: headers(), credentials: "same-origin" })
      .then((r) => {
        if (r.status === 401 || r.status === 403) {
          notice("登录已失效，请重新登录后同步。");
          if (window.ZhifaPdfCache) window.ZhifaPdfCache.clear();  // signed out: no decision PDFs kept on the phone
          return null;
        }
        return r.ok ? r.json() : null;
      })
      .then((data) => {
        if (!data) return;
        bundle = data;
        renderBundle();
        if (window.ZhifaPdfCache) window.ZhifaPdfCache.refresh(data.decisions || []);
        return window.ZhifaDB.saveBundle(data);
      })
      .catch(() => {});
  }

  function toggleFields() {
    const kind = $("kind").value;
    document.querySelectorAll("#capture-form [data-for]").forEach((p) => {
      p.hidden = !p.dataset.for.split(" ").includes(kind);
    });
  }

  // --- capturing ---------------------------------------------------------------------------------

  function field(name) { const el = $(name); return el ? el.value.trim() : ""; }

  async function capture(event) {
    event.preventDefault();
    $("form-error").textContent = "";
    const caseId = parseInt($("case").value, 10);
    const kind = $("kind").value;
    const seen = bundle && bundle.cases.find((c) => c.id === caseId);
    if (!seen) { $("form-error").textContent = "请选择案件。"; return; }
    const kindInfo = bundle.kinds.find((k) => k.code === kind);
    const names = {
      photo: ["title", "description", "place"], audio: ["title", "description", "place"], video: ["title", "description", "place"],
      inspection_note: ["place", "content", "findings"], interview_note: ["place", "interviewee", "question", "answer"],
      statement: ["point"], signature: ["signer_role", "signer", "document"],
    }[kind];
    const data = {};
    names.forEach((n) => { data[n] = field(n); });
    if (kind === "signature" && $("refused").checked) {  // 拒绝签名: no picture, printed on the document
      if (!data.document) { $("form-error").textContent = "拒绝签名须选择所涉文书。"; return; }
      data.refused = true;
    }
    const item = {
      key: crypto.randomUUID(), seq: await window.ZhifaDB.nextSeq(), case: caseId, case_label: seen.number,
      kind, kind_name: kindInfo.name, captured_at: new Date().toISOString(), based_on_stage: seen.stage, data,
      latitude: null, longitude: null, state: "pending", file: null, blob: null, upload: null, error: "",
    };
    if (kindInfo.file && !data.refused) {
      let file = $("file").files[0];
      if (kind === "signature") {
        const blob = await window.ZhifaSignature.png();
        if (!blob) { $("form-error").textContent = "请在签名框内签名。"; return; }
        file = new File([blob], `签名-${data.signer || "未署名"}.png`, { type: "image/png" });
      }
      if (!file) { $("form-error").textContent = "请拍照、录音或选择文件。"; return; }
      const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
      item.file = { name: file.name, size: file.size, content_type: file.type, sha256: hex(digest) };
      item.blob = file;
    }
    const where = await position();
    if (where) Object.assign(item, where);
    await window.ZhifaDB.put(item);
    $("capture-form").reset();
    window.ZhifaSignature.clear();
    renderBundle();
    notice(`已保存到本机：${item.kind_name}（${seen.number}）`);
    await renderQueue();
    sync();
  }

  // --- the queue -----------------------------------------------------------------------------------

  async function renderQueue() {
    const items = await window.ZhifaDB.all();
    $("queue").replaceChildren(...items.reverse().map((item) => {
      const li = document.createElement("li");
      li.dataset.key = item.key;
      li.dataset.state = item.state;
      let text = `${item.kind_name} · ${item.case_label} · ${new Date(item.captured_at).toLocaleString("zh-CN")} · ${STATES[item.state] || item.state}`;
      if (item.state === "uploading" && item.file) {
        text += `（${Math.floor(((item.upload && item.upload.received) || 0) * 100 / Math.max(item.file.size, 1))}%）`;
      }
      if (item.error) text += `：${item.error}`;
      li.textContent = text;
      return li;
    }));
    $("sync").disabled = !navigator.onLine;
    document.dispatchEvent(new CustomEvent("zhifa:queue"));
  }

  function errorText(payload, fallback) {
    return (payload && payload.error && payload.error.message) || fallback;
  }

  async function put(item) {
    const description = {
      case: item.case, kind: item.kind, captured_at: item.captured_at, based_on_stage: item.based_on_stage, data: item.data,
      latitude: item.latitude, longitude: item.longitude, file: item.file,
    };
    const response = await fetch(CAPTURES + item.key + "/", {
      method: "PUT", credentials: "same-origin", headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify(description),
    });
    let payload = null;
    try { payload = await response.json(); } catch (e) { payload = null; }
    return { status: response.status, payload };
  }

  async function sendFile(item, upload) {
    let offset = upload.received;
    while (offset < upload.size) {
      const end = Math.min(offset + CHUNK, upload.size);
      const response = await fetch(upload.url, {
        method: "PATCH", credentials: "same-origin", body: item.blob.slice(offset, end),
        headers: headers({ "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset) }),
      });
      const reported = parseInt(response.headers.get("Upload-Offset"), 10);
      if (response.ok || response.status === 409) {
        offset = Number.isNaN(reported) ? end : reported;  // 409: continue where the server stands
      } else {
        throw new Error(`上传失败（${response.status}）`);
      }
      item.upload = { id: upload.id, received: offset };
      await window.ZhifaDB.put(item);
      await renderQueue();
    }
  }

  async function syncItem(item) {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { status, payload } = await put(item);
      if (status === 401 || status === 403) throw Object.assign(new Error("登录已失效，请重新登录后同步。"), { stop: true });
      if (status === 422 && payload && payload.capture) {  // hash mismatch: the server restarted the upload
        item.error = errorText(payload, "文件哈希校验不符");
        await sendFile(item, payload.capture.upload);
        continue;
      }
      if (status >= 400 || !payload) {
        item.state = status >= 500 || !payload ? item.state : "error";
        item.error = errorText(payload, `服务器错误（${status}）`);
        await window.ZhifaDB.put(item);
        if (status >= 500 || !payload) throw Object.assign(new Error(item.error), { stop: true });
        return;
      }
      if (payload.state === "receiving" && payload.upload) {
        item.state = "uploading";
        item.upload = { id: payload.upload.id, received: payload.upload.received };
        await window.ZhifaDB.put(item);
        await sendFile(item, payload.upload);
        continue;  // PUT again: the server checks the hash and attaches
      }
      item.state = payload.state;
      item.error = payload.state === "conflict" ? payload.conflict_reason : "";
      item.result = payload.result;
      item.blob = payload.state === "accepted" ? null : item.blob;  // the case has the file now
      await window.ZhifaDB.put(item);
      return;
    }
  }

  async function runSync() {
    const items = (await window.ZhifaDB.all()).filter((i) => i.state === "pending" || i.state === "uploading");
    for (const item of items) {
      if (!navigator.onLine) break;
      try {
        await syncItem(item);
      } catch (error) {
        notice(error.message || "同步中断，恢复网络后将继续。");
        break;  // in order: a later item never overtakes an earlier one
      } finally {
        await renderQueue();
      }
    }
    const left = (await window.ZhifaDB.all()).filter((i) => i.state === "pending" || i.state === "uploading").length;
    body.dataset.pending = String(left);
    if (!left) notice("全部采集件已同步。");
  }

  function sync() {
    if (!navigator.onLine) { renderQueue(); return Promise.resolve(); }
    if (syncing) return syncing;
    const work = navigator.locks ? navigator.locks.request("zhifa-mobile-sync", runSync) : runSync();
    syncing = Promise.resolve(work).finally(() => { syncing = null; });
    return syncing;
  }

  // what spot.js (当场处罚决定) shares with the app
  window.ZhifaApp = { bundle: () => bundle, sync, renderQueue, refreshBundle, headers, position, hex };

  // --- start -----------------------------------------------------------------------------------------

  async function start() {
    showNet();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(body.dataset.sw, { scope: body.dataset.scope }).catch(() => {});
    }
    bundle = await window.ZhifaDB.loadBundle();
    renderBundle();
    await renderQueue();
    $("kind").addEventListener("change", toggleFields);
    $("capture-form").addEventListener("submit", capture);
    $("sync").addEventListener("click", () => sync());
    window.addEventListener("online", () => { showNet(); refreshBundle().then(sync); });
    window.addEventListener("offline", () => { showNet(); renderQueue(); });
    await refreshBundle();
    body.dataset.ready = "1";
    await sync();
  }

  start();
})();
