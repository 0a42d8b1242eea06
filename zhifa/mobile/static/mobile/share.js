/* 掌上执法: show or share an on-the-spot decision (当场处罚决定书) PDF with the party. “查看”
   opens the PDF in the browser; “分享” hands the PDF file to the phone's share sheet (Web Share
   API level 2) when the device supports sharing files, otherwise the link downloads it. With no
   network both use the copy kept on the phone (pdfcache.js). */
"use strict";
(function () {
  async function pdfBlob(decision) {
    if (navigator.onLine) {
      try {
        const response = await fetch(decision.pdf, { credentials: "same-origin" });
        if (response.ok) return response.blob();
      } catch (error) { /* fall back to the phone's copy */ }
    }
    return window.ZhifaPdfCache ? window.ZhifaPdfCache.blob(decision.pdf) : null;
  }

  function item(decision) {
    const li = document.createElement("li");
    li.dataset.case = decision.case;
    const text = document.createElement("span");
    text.textContent = `${decision.number} ${decision.party} `;
    const view = document.createElement("a");
    view.href = decision.pdf + "?inline=1";
    view.textContent = "查看";
    view.className = "view";
    view.target = "_blank";
    view.rel = "noopener";
    view.addEventListener("click", async (event) => {
      if (navigator.onLine || !window.ZhifaPdfCache) return;  // online: the link opens the PDF
      event.preventDefault();
      const copy = await window.ZhifaPdfCache.blob(decision.pdf);
      if (!copy) { window.alert("本机没有该决定书的离线副本，请联网后查看。"); return; }
      window.open(URL.createObjectURL(new Blob([copy], { type: "application/pdf" })), "_blank");
    });
    const share = document.createElement("a");
    share.href = decision.pdf;
    share.textContent = "分享/下载";
    share.className = "share";
    share.setAttribute("download", `${decision.title}.pdf`);
    share.addEventListener("click", async (event) => {
      if (navigator.onLine && (!navigator.share || !navigator.canShare)) return;  // the link downloads it
      event.preventDefault();
      try {
        const content = await pdfBlob(decision);
        if (!content) { window.alert("本机没有该决定书的离线副本，请联网后分享。"); return; }
        const file = new File([content], `${decision.title}.pdf`, { type: "application/pdf" });
        if (navigator.share && navigator.canShare && navigator.canShare({ files: [file] })) {
          await navigator.share({ files: [file], title: decision.title, text: `${decision.number}（${decision.party}）` });
        } else {  // offline, no share sheet: save the phone's copy
          const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(file), download: file.name });
          a.click();
        }
      } catch (error) {
        if (error && error.name !== "AbortError" && navigator.onLine) window.location.assign(decision.pdf);
      }
    });
    const link = document.createElement("a");
    link.href = `${document.body.dataset.links || "/m/links/document/"}${decision.document}/`;
    link.textContent = "二维码送达";
    link.className = "link";
    li.append(text, view, " ", share, " ", link);
    return li;
  }

  window.ZhifaShare = {
    render(list, decisions) {
      list.replaceChildren(...(decisions.length ? decisions.map(item)
        : [Object.assign(document.createElement("li"), { textContent: "近30日没有当场处罚决定书。" })]));
    },
  };
})();
