/* Case pages: small progressive enhancements, no framework, nothing loaded from elsewhere.
 *
 * - file inputs driven by records/upload.js lose their name, so the bytes go up resumably
 *   instead of with the form (without JavaScript the form posts the file itself);
 * - evidence capture: the device (short form of navigator.userAgent), the place
 *   (navigator.geolocation, when allowed) and the capture time of a chosen older file;
 * - the interview form: one more question/answer pair;
 * - the on-the-spot form: show only the party section chosen.
 */

function shortDevice(ua) {
  let m = ua.match(/(iPhone|iPad)/);
  if (m) {
    const v = ua.match(/OS (\d+)[_\d]*/);
    return m[1] + (v ? ` iOS ${v[1]}` : "");
  }
  m = ua.match(/Android (\d+)[^;)]*;\s*([^;)]+?)(?:\s+Build[^;)]*)?\)/);
  if (m) {
    const model = m[2].trim();
    return (model && model !== "K" ? `${model} ` : "") + `Android ${m[1]}`;
  }
  if (/HarmonyOS/.test(ua)) return "HarmonyOS 设备";
  if (/Windows/.test(ua)) return "Windows 电脑";
  if (/Mac OS X/.test(ua)) return "Mac 电脑";
  if (/Linux/.test(ua)) return "Linux 电脑";
  return ua.slice(0, 60);
}

function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

document.querySelectorAll("input[type=file][data-zhifa-upload]").forEach((input) => input.removeAttribute("name"));

const form = document.querySelector("form[data-capture]");
if (form) {
  const device = form.querySelector("[name=device]");
  if (device && !device.value) device.value = shortDevice(navigator.userAgent || "");
  const lat = form.querySelector("[name=latitude]");
  const lng = form.querySelector("[name=longitude]");
  const locate = form.querySelector("#locate");
  const locateStatus = form.querySelector("#locate-status");
  function fetchPosition() {
    if (!navigator.geolocation || !lat || !lng) return;
    if (locateStatus) locateStatus.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition((pos) => {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      if (locateStatus) locateStatus.textContent = `已获取位置（精度约${Math.round(pos.coords.accuracy)}米）`;
    }, () => {
      if (locateStatus) locateStatus.textContent = "未能获取位置，可手工填写地点。";
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  }
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", fetchPosition);
    if (navigator.permissions && lat && !lat.value) {
      navigator.permissions.query({ name: "geolocation" }).then((s) => { if (s.state === "granted") fetchPosition(); }).catch(() => {});
    }
  }
  const captured = form.querySelector("[name=captured_at]");
  const title = form.querySelector("[name=title]");
  const hint = form.querySelector("#captured-hint");
  form.querySelectorAll("input[type=file]").forEach((input) => {
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (!file) return;
      if (title && !title.value) title.value = file.name.replace(/\.[^.]+$/, "");
      if (captured && file.lastModified && Date.now() - file.lastModified > 2 * 60 * 1000) {
        captured.value = localInputValue(new Date(file.lastModified));
        if (hint) hint.textContent = "已按文件时间预填采集时间，请核对（执法记录仪导出的文件应填实际拍摄时间）。";
      }
    });
  });
}

const addQa = document.getElementById("add-qa");
if (addQa) {
  addQa.hidden = false;
  addQa.addEventListener("click", () => {
    const pairs = document.querySelectorAll("#qa-list .qa");
    const copy = pairs[pairs.length - 1].cloneNode(true);
    copy.querySelectorAll("textarea").forEach((t) => { t.value = ""; });
    addQa.parentNode.insertBefore(copy, addQa);
    copy.querySelector("textarea").focus();
  });
}

const modes = document.querySelectorAll("input[name=party_mode]");
if (modes.length) {
  const sections = { existing: document.getElementById("party-existing"), new: document.getElementById("party-new") };
  const show = () => {
    const chosen = document.querySelector("input[name=party_mode]:checked");
    Object.entries(sections).forEach(([mode, el]) => { if (el) el.hidden = !chosen || chosen.value !== mode; });
  };
  modes.forEach((m) => m.addEventListener("change", show));
  show();
}
