/* 掌上执法 signature pad (现场签名): the party, a witness or an officer signs with a finger or
   stylus on the canvas #signature-pad; ZhifaSignature.png() gives the PNG (null when nothing was
   drawn). The app hashes the PNG with SHA-256 and sends it like a photo. */
"use strict";
(function () {
  const canvas = document.getElementById("signature-pad");
  if (!canvas) return;
  const pen = canvas.getContext("2d");
  let drawn = false;
  let last = null;

  function reset() {
    pen.fillStyle = "#fff";
    pen.fillRect(0, 0, canvas.width, canvas.height);
    pen.lineWidth = 3;
    pen.lineCap = "round";
    pen.lineJoin = "round";
    pen.strokeStyle = "#000";
    drawn = false;
  }

  function point(event) {
    const box = canvas.getBoundingClientRect();
    return { x: (event.clientX - box.left) * canvas.width / box.width, y: (event.clientY - box.top) * canvas.height / box.height };
  }

  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const next = point(event);
    pen.beginPath();
    pen.moveTo(last.x, last.y);
    pen.lineTo(next.x, next.y);
    pen.stroke();
    last = next;
    drawn = true;
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach((name) => canvas.addEventListener(name, () => { last = null; }));
  document.getElementById("signature-clear").addEventListener("click", reset);
  reset();

  window.ZhifaSignature = {
    clear: reset,
    png() {
      if (!drawn) return Promise.resolve(null);
      return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    },
  };
})();
