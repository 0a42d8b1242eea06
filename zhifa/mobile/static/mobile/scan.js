/* 掌上执法 scanning (扫码): read a QR code with the camera (getUserMedia + the vendored jsQR),
   from a photo of the code, or typed by hand.
   - An enterprise's supervision code (“ZHIFA-JG:…”, 扫码入企) is posted to the chosen inspection's
     arrival endpoint, POST /api/inspections/acts/<id>/scan/ (method “scan” or “typed”, position).
   - A certificate's verification QR (…/public/verify/<证号>/) or a typed certificate number opens
     the portal's live verification page of that certificate (核验同事的执法证).
   Both need the network; offline the app says so and keeps nothing half-done. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const result = $("scan-result");
  const video = $("scan-video");
  let stream = null;

  function say(text, ok) {
    result.textContent = text;
    result.className = ok ? "scan-ok" : "errorlist";
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value;
  }

  function certificateNumber(text) {
    const match = text.match(/\/public\/verify\/([^/?#]+)\/?/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function openCertificate(number) {
    if (!navigator.onLine) { say("核验执法证需要联网。", false); return; }
    window.location.assign(`/public/verify/${encodeURIComponent(number)}/`);
  }

  function position() {
    if (!navigator.geolocation) return Promise.resolve({});
    return new Promise((resolve) => navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude.toFixed(6), longitude: p.coords.longitude.toFixed(6) }),
      () => resolve({}), { timeout: 5000, maximumAge: 60000 }));
  }

  async function arrive(code, method) {
    const inspection = $("scan-inspection").value;
    if (!inspection) { say("请先选择要进场的行政检查。", false); return; }
    if (!navigator.onLine) { say("扫码进场需要联网：请到有信号处再扫，或在检查页面补扫。", false); return; }
    const body = Object.assign({ code, method, place: $("scan-place").value.trim() }, await position());
    const response = await fetch(`/api/inspections/acts/${inspection}/scan/`, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    });
    const payload = await response.json().catch(() => null);
    if (response.ok && payload) {
      say(`已扫码进场：${payload.number || ""} ${payload.stage_name || ""}`.trim(), true);
    } else {
      const error = payload && payload.error;
      const first = error && Object.values(error.fields || {}).flat()[0];
      say(first || (error && error.message) || `扫码进场失败（${response.status}）`, false);
    }
  }

  function handle(text, method) {
    const value = (text || "").trim();
    if (!value) { say("没有读到内容。", false); return; }
    const number = certificateNumber(value);
    if (number) { openCertificate(number); return; }
    arrive(value, method);
  }

  function decode(canvas, width, height) {
    const pixels = canvas.getContext("2d", { willReadFrequently: true }).getImageData(0, 0, width, height);
    const found = window.jsQR(pixels.data, width, height);
    return found ? found.data : null;
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
  }

  async function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say("此设备不能打开摄像头：请拍照识别或手工输入。", false); return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) {
      say("未能打开摄像头（未授权或无摄像头）：请拍照识别或手工输入。", false);
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const canvas = document.createElement("canvas");
    const tick = () => {
      if (!stream) return;
      if (video.readyState === video.HAVE_ENOUGH_DATA) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext("2d", { willReadFrequently: true }).drawImage(video, 0, 0);
        const text = decode(canvas, canvas.width, canvas.height);
        if (text) { stopCamera(); handle(text, "scan"); return; }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  async function fromImage() {
    const file = $("scan-image").files[0];
    if (!file) return;
    const bitmap = await createImageBitmap(file);
    const canvas = document.createElement("canvas");
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext("2d", { willReadFrequently: true }).drawImage(bitmap, 0, 0);
    const text = decode(canvas, canvas.width, canvas.height);
    $("scan-image").value = "";
    if (text) handle(text, "scan"); else say("照片中没有识别出二维码：请重拍或手工输入。", false);
  }

  $("scan-camera").addEventListener("click", startCamera);
  $("scan-image").addEventListener("change", fromImage);
  $("scan-arrive").addEventListener("click", () => handle($("scan-code").value, "typed"));
  $("scan-verify").addEventListener("click", () => {
    const value = $("scan-code").value.trim();
    if (value) openCertificate(certificateNumber(value) || value); else say("请输入执法证号。", false);
  });
})();
