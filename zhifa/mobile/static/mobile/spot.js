/* 掌上执法: on-the-spot decisions on pre-numbered forms (预编号当场处罚决定书), with no network.

   The officer reserves a block of numbers while online (POST /api/mobile/numbers/reserve/); the
   bundle lists the unused ones. Offline, the form takes the next number not yet used by a queued
   decision, refuses when none is left or when a fine exceeds the Art. 51 limit for the party's
   kind (¥200 a citizen, ¥3,000 an organisation), and saves the decision in the capture queue
   (kind "spot_decision"). The filled decision is then shown from local data — number, facts,
   penalty, basis, remedy route and deadline, agency, officer, date, place — to show or print
   for the party. The queue syncs it like any capture: the server creates the case once. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("spot-form");
  if (!form) return;
  const app = () => window.ZhifaApp;
  const PENALTY = { warning: "警告", fine: "罚款" };
  const LEVELS = { minor: "情节轻微", light: "情节较轻", ordinary: "情节一般", serious: "情节较重", grave: "情节严重" };
  let pad = null;

  function option(value, text) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  function spot() {
    const bundle = app() && app().bundle();
    return (bundle && bundle.spot) || { numbers: [], items: [], parties: [], limits: {}, agency: null, officer: null };
  }

  async function queued() {
    return (await window.ZhifaDB.all()).filter((i) => i.kind === "spot_decision");
  }

  /** The reserved numbers not yet taken by a decision in the local queue, oldest first. */
  async function freeNumbers() {
    const taken = new Set((await queued()).map((i) => i.data.reserved_number));
    const year = new Date().getFullYear();
    return spot().numbers.filter((n) => !taken.has(n.id) && n.year === year);
  }

  async function render() {
    const data = spot();
    const partySelect = $("spot-party");
    const chosenParty = partySelect.value;
    partySelect.replaceChildren(option("", "现场登记新当事人"),
      ...data.parties.map((p) => option(p.id, `${p.name}（${p.kind_name}）`)));
    partySelect.value = chosenParty;
    const itemSelect = $("spot-item");
    const chosenItem = itemSelect.value;
    itemSelect.replaceChildren(...data.items.map((i) => option(i.id, `${i.code} ${i.name}`)));
    if (chosenItem) itemSelect.value = chosenItem;
    const free = await freeNumbers();
    $("spot-numbers").textContent = free.length
      ? `可用预编号${free.length}个，下一个：${free[0].number}` : "没有可用的预编号：请联网后领用。";
    $("spot-numbers").dataset.free = String(free.length);
    $("spot-reserve").disabled = !navigator.onLine;
    toggle();
    await renderList();
  }

  function toggle() {
    $("spot-new-party").hidden = Boolean($("spot-party").value);
    $("spot-fine-row").hidden = form.querySelector("input[name=spot-penalty]:checked").value !== "fine";
    $("spot-signature").hidden = $("spot-signed").value !== "signed";
    const item = spot().items.find((i) => String(i.id) === $("spot-item").value);
    $("spot-basis").textContent = item ? `处罚依据：${item.basis || "（事项未载明）"}` : "";
  }

  function partyOf(value) {
    if (value.party) {
      const p = spot().parties.find((x) => x.id === value.party);
      return { name: p ? p.name : "", organisation: p ? p.organisation : false };
    }
    return { name: value.party_name, organisation: value.party_kind !== "natural" };
  }

  async function save(event) {
    event.preventDefault();
    const error = $("spot-error");
    error.textContent = "";
    const data = spot();
    const free = await freeNumbers();
    if (!free.length) { error.textContent = "没有可用的预编号当场处罚决定书，不能离线作出当场处罚；请联网领用编号。"; return; }
    const penalty = form.querySelector("input[name=spot-penalty]:checked").value;
    const value = {
      reserved_number: free[0].id, item: parseInt($("spot-item").value, 10) || null,
      party: parseInt($("spot-party").value, 10) || null,
      party_kind: $("spot-party-kind").value, party_name: $("spot-party-name").value.trim(),
      party_id_type: $("spot-party-id-type").value, party_id_number: $("spot-party-id").value.trim(),
      place: $("spot-place").value.trim(), facts: $("spot-facts").value.trim(), level: $("spot-level").value,
      penalty, fine_amount: penalty === "fine" ? $("spot-fine").value.trim() : "",
      deviation_reason: $("spot-deviation").value.trim(),
      certificate_shown: $("spot-certificate").checked, party_heard: $("spot-heard").checked,
      signature: $("spot-signed").value,
    };
    const party = partyOf(value);
    const item = data.items.find((i) => i.id === value.item);
    const missing = [];
    if (!party.name) missing.push("当事人");
    if (!value.party && !value.party_id_number) missing.push("证件号码或统一社会信用代码");
    if (!item) missing.push("执法事项");
    if (!value.place) missing.push("地点");
    if (!value.facts) missing.push("违法事实");
    if (!value.level) missing.push("违法情节");
    if (missing.length) { error.textContent = `请填写${missing.join("、")}。`; return; }
    if (!value.certificate_shown || !value.party_heard) {
      error.textContent = "当场处罚须出示执法证件，并告知当事人违法事实、处罚理由和依据、听取陈述申辩（处罚法第五十二条）。";
      return;
    }
    if (penalty === "fine") {
      const amount = Number(value.fine_amount);
      const limit = Number(party.organisation ? data.limits.organisation : data.limits.person);
      if (!value.fine_amount || !(amount > 0)) { error.textContent = "请填写罚款金额。"; return; }
      if (amount > limit) {
        error.textContent = `对${party.organisation ? "法人或者其他组织" : "公民"}当场罚款不得超过${limit}元（处罚法第五十一条），应适用一般程序。`;
        return;
      }
    }
    const number = free[0];
    const now = new Date();
    const item_ = {
      key: crypto.randomUUID(), seq: await window.ZhifaDB.nextSeq(), case: null, case_label: number.number,
      kind: "spot_decision", kind_name: "当场处罚决定", captured_at: now.toISOString(), based_on_stage: "",
      data: value, latitude: null, longitude: null, state: "pending", file: null, blob: null, upload: null, error: "",
      // what the decision shown to the party says, kept with the item (the bundle may change later)
      sheet: {
        number: number.number, party: party.name, item: item.name, basis: item.basis, violated: item.violated,
        agency: data.agency, officer: data.officer, penalty: PENALTY[penalty], fine: value.fine_amount,
        level: LEVELS[value.level], date: now.toLocaleDateString("zh-CN"), time: now.toLocaleString("zh-CN"),
      },
    };
    if (value.signature === "signed") {
      const blob = await pad.png();
      if (!blob) { error.textContent = "请当事人在签名框内签名，或选择“拒绝签名”。"; return; }
      const file = new File([blob], `当事人签名-${party.name}.png`, { type: "image/png" });
      const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
      item_.file = { name: file.name, size: file.size, content_type: file.type, sha256: app().hex(digest) };
      item_.blob = file;
    }
    const where = await app().position();
    if (where) Object.assign(item_, where);
    await window.ZhifaDB.put(item_);
    form.reset();
    pad.clear();
    show(item_);
    await render();
    await app().renderQueue();
    app().sync();
  }

  function line(label, text) {
    const p = document.createElement("p");
    const b = document.createElement("strong");
    b.textContent = label;
    p.append(b, document.createTextNode(text || "—"));
    return p;
  }

  /** The filled decision, from local data only, to show or print for the party. */
  function show(item) {
    const s = item.sheet;
    const v = item.data;
    const agency = s.agency || {};
    const penalty = s.penalty === "罚款" ? `罚款人民币${s.fine}元` : "警告";
    const sheet = $("spot-sheet");
    const title = document.createElement("h3");
    title.textContent = `${agency.name || ""}当场行政处罚决定书`;
    const parts = [
      title, line("编号：", s.number), line("当事人：", s.party), line("违法时间：", s.time),
      line("违法地点：", v.place), line("违法事实：", v.facts),
      line("违反的规定：", s.violated), line("处罚依据：", s.basis),
      line("处罚决定：", `依据上述规定，适用简易程序，当场给予${penalty}。`),
    ];
    if (s.penalty === "罚款") {
      parts.push(line("履行方式和期限：", `自收到本决定书之日起十五日内，到${agency.bank || "指定银行"}缴纳罚款`
        + `（户名：${agency.account_name || "—"}，账号：${agency.account || "—"}）；到期不缴纳的，每日按罚款数额的3%加处罚款。`));
    }
    parts.push(
      line("救济途径和期限：", `如不服本决定，应当自收到本决定书之日起${agency.review_days || "六十日"}内向`
        + `${agency.review_body || "本级人民政府"}申请行政复议（对当场作出的行政处罚决定不服的，应当先申请行政复议）；`
        + `对行政复议决定不服的，可以自收到行政复议决定书之日起${agency.litigation_days || "十五日"}内向`
        + `${agency.court || "有管辖权的人民法院"}提起行政诉讼。`),
      line("执法人员：", s.officer ? `${s.officer.name}（执法证号：${s.officer.certificate || "—"}）` : ""),
      line("作出日期：", s.date), line("行政机关：", agency.name),
      line("当事人签名：", v.signature === "signed" ? "已在本机签名" : "当事人拒绝签名，执法人员已注明"),
      line("备案：", "本决定书当场交付当事人，并报所属行政机关备案。"),
    );
    sheet.replaceChildren(...parts);
    $("spot-view").hidden = false;
    $("spot-view").dataset.number = s.number;
    $("spot-view").scrollIntoView();
  }

  async function renderList() {
    const items = (await queued()).reverse();
    $("spot-list").replaceChildren(...(items.length ? items.map((item) => {
      const li = document.createElement("li");
      li.dataset.number = item.sheet.number;
      const text = document.createElement("span");
      text.textContent = `${item.sheet.number} ${item.sheet.party} · ${item.sheet.penalty} `;
      const view = document.createElement("button");
      view.type = "button";
      view.className = "small";
      view.textContent = "查看决定书";
      view.addEventListener("click", () => show(item));
      li.append(text, view);
      return li;
    }) : [Object.assign(document.createElement("li"), { textContent: "本机尚无离线填写的当场处罚决定。" })]));
  }

  async function reserve() {
    $("spot-error").textContent = "";
    const response = await fetch("/api/mobile/numbers/reserve/", {
      method: "POST", credentials: "same-origin", headers: app().headers({ "Content-Type": "application/json" }),
      body: JSON.stringify({ count: 10, device_label: `掌上执法 ${navigator.platform || ""}`.trim().slice(0, 100) }),
    });
    if (!response.ok) {
      let payload = null;
      try { payload = await response.json(); } catch (e) { payload = null; }
      $("spot-error").textContent = (payload && payload.error && payload.error.message) || `领用失败（${response.status}）`;
      return;
    }
    await app().refreshBundle();
  }

  pad = window.ZhifaSignaturePad($("spot-signature-pad"));  // signature.js
  $("spot-signature-clear").addEventListener("click", () => pad.clear());
  form.addEventListener("submit", save);
  form.addEventListener("change", toggle);
  $("spot-reserve").addEventListener("click", reserve);
  $("spot-print").addEventListener("click", () => window.print());
  $("spot-close").addEventListener("click", () => { $("spot-view").hidden = true; });
  document.addEventListener("zhifa:bundle", render);
  document.addEventListener("zhifa:queue", renderList);
  if (app() && app().bundle()) render();
})();
