/* zhifa resumable upload (断点续传) — no framework, no dependencies.
 *
 * Uploads a file to /api/records/uploads/ in 4 MiB chunks (PATCH with Upload-Offset). After a
 * network error it waits, asks the server how many bytes arrived, and continues from there;
 * an upload interrupted by closing the page resumes when the same file is chosen again.
 * When done, the stored file's id is put into a hidden input.
 *
 * In a page:
 *   <input type="file" data-zhifa-upload="id_evidence_file">   (no name: the bytes are not posted with the form)
 *   <input type="hidden" name="stored_file" id="id_evidence_file">
 *   <script type="module" src="{% static 'records/upload.js' %}"></script>
 * Optional attributes on the file input: data-endpoint (default /api/records/uploads/),
 * data-chunk-size (bytes). The input fires "zhifa:uploaded" (detail = stored file) when done.
 * In code: import { uploadFile } from "/static/records/upload.js".
 */

const DEFAULT_ENDPOINT = "/api/records/uploads/";
const DEFAULT_CHUNK = 4 * 1024 * 1024;
const MAX_RETRIES = 10;

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function headers(extra) {
  return Object.assign({ "X-CSRFToken": csrfToken(), Accept: "application/json" }, extra || {});
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function rememberKey(endpoint, file) {
  return `zhifa-upload:${endpoint}:${file.name}:${file.size}:${file.lastModified}`;
}

function remembered(key) {
  try { return window.localStorage.getItem(key); } catch (e) { return null; }
}

function remember(key, value) {
  try {
    if (value) window.localStorage.setItem(key, value); else window.localStorage.removeItem(key);
  } catch (e) { /* private mode: resume works within this page only */ }
}

class UploadError extends Error {
  constructor(message, fatal) {
    super(message);
    this.fatal = fatal;
  }
}

async function errorMessage(response, fallback) {
  try {
    const body = await response.json();
    return (body.error && body.error.message) || fallback;
  } catch (e) {
    return fallback;
  }
}

async function state(url) {
  const response = await fetch(url, { method: "GET", headers: headers(), credentials: "same-origin" });
  if (response.status === 404) return null;
  if (!response.ok) throw new UploadError(await errorMessage(response, "无法查询上传进度。"), false);
  return response.json();
}

/**
 * Upload `file`; resolves to the stored file ({id, hash, algorithm, size, content_type, ...}).
 * options: endpoint, chunkSize, onProgress(done, total), onRetry(seconds, attempt), maxRetries.
 */
export async function uploadFile(file, options) {
  const opts = options || {};
  const endpoint = opts.endpoint || DEFAULT_ENDPOINT;
  const chunkSize = opts.chunkSize || DEFAULT_CHUNK;
  const onProgress = opts.onProgress || (() => {});
  const onRetry = opts.onRetry || (() => {});
  const maxRetries = opts.maxRetries === undefined ? MAX_RETRIES : opts.maxRetries;
  const key = rememberKey(endpoint, file);

  let id = remembered(key);
  let offset = 0;
  if (id) {
    const known = await state(`${endpoint}${id}/`).catch(() => null);
    if (known && known.complete) { remember(key, null); onProgress(file.size, file.size); return known.stored_file; }
    if (known) offset = known.offset; else id = null;
  }
  if (!id) {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: headers({ "Content-Type": "application/json" }),
      credentials: "same-origin",
      body: JSON.stringify({ name: file.name, size: file.size, content_type: file.type || "" }),
    });
    if (!response.ok) throw new UploadError(await errorMessage(response, "无法开始上传。"), true);
    const created = await response.json();
    if (created.complete) { onProgress(file.size, file.size); return created.stored_file; }
    id = created.id;
    remember(key, id);
  }
  const url = `${endpoint}${id}/`;
  onProgress(offset, file.size);

  let failures = 0;
  for (;;) {
    const end = Math.min(offset + chunkSize, file.size);
    try {
      const response = await fetch(url, {
        method: "PATCH",
        headers: headers({ "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset) }),
        credentials: "same-origin",
        body: file.slice(offset, end),
      });
      if (response.status === 409) {
        // the server has a different offset (e.g. a chunk arrived but its answer was lost)
        const serverOffset = parseInt(response.headers.get("Upload-Offset"), 10);
        if (Number.isNaN(serverOffset)) throw new UploadError(await errorMessage(response, "上传冲突。"), true);
        const known = await state(url);
        if (known && known.complete) { remember(key, null); onProgress(file.size, file.size); return known.stored_file; }
        offset = serverOffset;
        continue;
      }
      if (!response.ok) {
        const fatal = response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
        throw new UploadError(await errorMessage(response, `上传失败（${response.status}）。`), fatal);
      }
      const body = await response.json();
      failures = 0;
      offset = body.offset;
      onProgress(offset, file.size);
      if (body.complete) { remember(key, null); return body.stored_file; }
    } catch (err) {
      if (err instanceof UploadError && err.fatal) throw err;
      failures += 1;
      if (failures > maxRetries) {
        throw new UploadError("网络中断，多次重试仍未成功。已上传的部分会保留，请稍后点击“继续上传”。", false);
      }
      const seconds = Math.min(30, 2 ** (failures - 1));
      onRetry(seconds, failures);
      await sleep(seconds * 1000);
      try {
        const known = await state(url);
        if (known === null) throw new UploadError("上传记录已不存在，请重新选择文件。", true);
        if (known.complete) { remember(key, null); onProgress(file.size, file.size); return known.stored_file; }
        offset = known.offset;
      } catch (e) {
        if (e instanceof UploadError && e.fatal) { remember(key, null); throw e; }
        /* still offline: the next PATCH attempt fails and we wait again */
      }
    }
  }
}

function megabytes(bytes) {
  return (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0);
}

/** Wire one file input to the hidden input named by its data-zhifa-upload attribute. */
export function attach(input) {
  const target = document.getElementById(input.dataset.zhifaUpload);
  const box = document.createElement("div");
  box.className = "zhifa-upload";
  const bar = document.createElement("progress");
  bar.max = 1;
  bar.value = 0;
  bar.hidden = true;
  const status = document.createElement("span");
  status.className = "muted";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const retry = document.createElement("button");
  retry.type = "button";
  retry.className = "button secondary";
  retry.textContent = "继续上传";
  retry.hidden = true;
  box.append(bar, " ", status, " ", retry);
  input.insertAdjacentElement("afterend", box);
  let busy = false;

  async function start() {
    const file = input.files && input.files[0];
    if (!file || busy) return;
    busy = true;
    retry.hidden = true;
    bar.hidden = false;
    if (target) { target.value = ""; delete target.dataset.hash; }
    status.textContent = "正在上传…";
    try {
      const stored = await uploadFile(file, {
        endpoint: input.dataset.endpoint || DEFAULT_ENDPOINT,
        chunkSize: parseInt(input.dataset.chunkSize, 10) || DEFAULT_CHUNK,
        onProgress(done, total) {
          bar.max = total || 1;
          bar.value = total ? done : 1;
          const percent = total ? Math.floor((done * 100) / total) : 100;
          status.textContent = `已上传 ${percent}%（${megabytes(done)} / ${megabytes(total)} MB）`;
        },
        onRetry(seconds) {
          status.textContent = `网络中断，${seconds} 秒后从已上传的位置继续…`;
        },
      });
      if (target) { target.value = stored.id; target.dataset.hash = stored.hash; }
      status.textContent = `上传完成：${file.name}（${stored.algorithm.toUpperCase()} ${stored.hash.slice(0, 12)}…）`;
      input.dispatchEvent(new CustomEvent("zhifa:uploaded", { bubbles: true, detail: stored }));
    } catch (err) {
      status.textContent = err.message || "上传失败。";
      retry.hidden = false;
    } finally {
      busy = false;
    }
  }

  input.addEventListener("change", start);
  retry.addEventListener("click", start);
  if (input.form) {
    input.form.addEventListener("submit", (event) => {
      if (busy) {
        event.preventDefault();
        status.textContent = "文件仍在上传，请等待上传完成后再提交。";
      }
    });
  }
}

document.querySelectorAll("input[type=file][data-zhifa-upload]").forEach(attach);

// A form that only hosts an upload (the "my uploads" page) is never submitted: pressing Enter
// must not post it (a data attribute, not onsubmit="": the CSP allows no inline handler).
document.querySelectorAll("form[data-no-submit]").forEach((form) => {
  form.addEventListener("submit", (event) => event.preventDefault());
});
