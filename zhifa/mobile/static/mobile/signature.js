/* Signature pads (现场签名): the party, a witness or an officer signs with a finger or stylus on a
   canvas. ZhifaSignaturePad(canvas) makes any canvas a pad ({clear, png}); png() gives the PNG,
   or null when nothing was drawn. The page's own pad #signature-pad (with #signature-clear) is
   window.ZhifaSignature: 掌上执法's signature capture and the case page's 在屏幕上签名. The app
   hashes the PNG with SHA-256 and sends it like a photo; spot.js uses a pad for the decision. */
"use strict";
(function () {
  function signaturePad(canvas) {
    const pen = canvas.getContext("2d");
    let drawn = false;
    let last = null;

    function reset() {
      pen.fillStyle = "#fff";
      pen.fillRect(0, 0, canvas.width, canvas.height);
      Object.assign(pen, { lineWidth: 3, lineCap: "round", lineJoin: "round", strokeStyle: "#000" });
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
    reset();
    return {
      clear: reset,
      png: () => (drawn ? new Promise((resolve) => canvas.toBlob(resolve, "image/png")) : Promise.resolve(null)),
    };
  }

  window.ZhifaSignaturePad = signaturePad;
  const canvas = document.getElementById("signature-pad");
  if (!canvas) return;
  window.ZhifaSignature = signaturePad(canvas);
  document.getElementById("signature-clear").addEventListener("click", window.ZhifaSignature.clear);
})();
