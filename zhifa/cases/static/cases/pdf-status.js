/* Document PDFs are converted by a background job: while a document on the page shows
 * "PDF正在生成", reload the page every few seconds (at most two minutes) so the link appears
 * by itself — on a phone in the field too. Without JavaScript the officer refreshes by hand. */

const pending = document.querySelector(".pdf-pending");
if (pending) {
  const started = Number(sessionStorage.getItem("zhifa-pdf-wait") || Date.now());
  if (Date.now() - started < 120000) {
    sessionStorage.setItem("zhifa-pdf-wait", String(started));
    setTimeout(() => window.location.reload(), 4000);
  } else {
    sessionStorage.removeItem("zhifa-pdf-wait");
  }
} else {
  sessionStorage.removeItem("zhifa-pdf-wait");
}
