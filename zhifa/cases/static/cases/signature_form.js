/* The case page's signature form (在屏幕上签名): on submit the signature pad's PNG
   (mobile/signature.js, the same pad as 掌上执法) goes into the hidden field as a data URL.
   A refusal to sign needs no drawing. */
"use strict";
(function () {
  const form = document.getElementById("signature-form");
  if (!form) return;
  let ready = false;
  form.addEventListener("submit", (event) => {
    if (ready) return;
    event.preventDefault();
    const refused = form.querySelector("input[name=refused]");
    const done = () => { ready = true; form.submit(); };
    if ((refused && refused.checked) || !window.ZhifaSignature) { done(); return; }
    window.ZhifaSignature.png().then((blob) => {
      if (!blob) { done(); return; }  // the server answers “请在框内签名”
      const reader = new FileReader();
      reader.onload = () => { form.querySelector("input[name=image]").value = reader.result; done(); };
      reader.readAsDataURL(blob);
    });
  });
})();
