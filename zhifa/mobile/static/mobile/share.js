/* 掌上执法: show or share an on-the-spot decision (当场处罚决定书) PDF with the party. “查看”
   opens the PDF in the browser; “分享” hands the PDF file to the phone's share sheet (Web Share
   API level 2) when the device supports sharing files, otherwise the link downloads it. */
"use strict";
(function () {
  function item(decision) {
    const li = document.createElement("li");
    li.dataset.case = decision.case;
    const text = document.createElement("span");
    text.textContent = `${decision.number} ${decision.party} `;
    const view = document.createElement("a");
    view.href = decision.pdf + "?inline=1";
    view.textContent = "查看";
    view.target = "_blank";
    view.rel = "noopener";
    const share = document.createElement("a");
    share.href = decision.pdf;
    share.textContent = "分享/下载";
    share.className = "share";
    share.setAttribute("download", `${decision.title}.pdf`);
    share.addEventListener("click", async (event) => {
      if (!navigator.share || !navigator.canShare || !navigator.onLine) return;  // the link downloads it
      event.preventDefault();
      try {
        const response = await fetch(decision.pdf, { credentials: "same-origin" });
        const file = new File([await response.blob()], `${decision.title}.pdf`, { type: "application/pdf" });
        if (navigator.canShare({ files: [file] })) {
          await navigator.share({ files: [file], title: decision.title, text: `${decision.number}（${decision.party}）` });
        } else {
          window.location.assign(decision.pdf);
        }
      } catch (error) {
        if (error && error.name !== "AbortError") window.location.assign(decision.pdf);
      }
    });
    li.append(text, view, " ", share);
    return li;
  }

  window.ZhifaShare = {
    render(list, decisions) {
      list.replaceChildren(...(decisions.length ? decisions.map(item)
        : [Object.assign(document.createElement("li"), { textContent: "近30日没有当场处罚决定书。" })]));
    },
  };
})();
