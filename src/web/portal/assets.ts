/**
 * The portal's stylesheet and its one small script, served from /ib/assets/ (the CSP allows
 * only same-origin styles and scripts, so nothing is inline).
 */

export const PORTAL_CSS = `
:root { --navy:#123a63; --navy2:#1d4f82; --ink:#1f2328; --muted:#5b6470; --line:#d5dbe3; --bg:#f4f6f9;
  --accent:#c0392b; --accent2:#a93226; --ok:#1e7b4f; --warn:#9a6700; --err:#b42318; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; font-family: "Hiragino Kaku Gothic ProN","Noto Sans CJK JP","Noto Sans JP","Yu Gothic",Meiryo,sans-serif;
  color:var(--ink); background:var(--bg); line-height:1.7; font-size:16px; }
header.site { background:#fff; border-bottom:4px solid var(--navy); display:flex; flex-wrap:wrap; align-items:center;
  justify-content:space-between; gap:8px; padding:10px 20px; }
.brand { display:flex; align-items:center; gap:10px; }
.brand .seal { display:inline-grid; place-items:center; width:36px; height:36px; border:3px solid var(--accent);
  color:var(--accent); border-radius:8px; font-weight:700; font-size:20px; font-family:serif; }
.brand .bank { font-size:20px; font-weight:700; color:var(--navy); }
.brand .sub { font-size:13px; color:var(--muted); }
.who { display:flex; align-items:center; gap:14px; flex-wrap:wrap; font-size:14px; }
.who .name { font-weight:700; }
.who .last { color:var(--muted); font-size:12px; }
a.lang-switch { font-size:13px; font-weight:600; color:var(--navy); border:1px solid var(--line); border-radius:999px;
  padding:3px 12px; text-decoration:none; white-space:nowrap; }
a.lang-switch:hover { border-color:var(--navy); }
form.logout { margin:0; }
nav.global { background:var(--navy); }
nav.global ul { list-style:none; margin:0 auto; padding:0 12px; display:flex; max-width:1000px; overflow-x:auto; }
nav.global a { display:block; padding:12px 18px; color:#fff; text-decoration:none; white-space:nowrap; font-size:15px; }
nav.global a[aria-current] { background:var(--navy2); box-shadow: inset 0 -4px 0 #f0b429; }
main { max-width:1000px; margin:0 auto; padding:20px 16px 40px; }
.screen-head { display:flex; justify-content:space-between; align-items:flex-end; gap:12px; flex-wrap:wrap;
  border-bottom:2px solid var(--navy); margin-bottom:16px; }
h1 { font-size:22px; margin:0 0 6px; color:var(--navy); }
.screen-id { margin:0 0 6px; font-size:12px; color:var(--muted); }
.lead { margin:0 0 16px; }
.panel { background:#fff; border:1px solid var(--line); border-radius:6px; margin:0 0 18px; }
.panel > h2 { margin:0; font-size:16px; padding:10px 14px; background:#eaf0f7; border-bottom:1px solid var(--line);
  border-left:5px solid var(--navy); border-radius:6px 6px 0 0; }
.panel > .body { padding:12px 16px; }
.panel > p { margin:12px 16px; }
table.info { width:100%; border-collapse:collapse; }
table.info th, table.info td { text-align:left; padding:10px 14px; border-top:1px solid var(--line); vertical-align:top; }
table.info tr:first-child th, table.info tr:first-child td { border-top:none; }
table.info th { width:34%; background:#f7f9fb; font-weight:600; color:#333; }
table.list { width:100%; border-collapse:collapse; }
table.list th, table.list td { padding:10px 12px; border-top:1px solid var(--line); text-align:left; }
table.list th { background:#f7f9fb; }
table.list td.num, table.list th.num { text-align:right; font-variant-numeric: tabular-nums; }
.state { display:inline-block; padding:2px 10px; border-radius:999px; font-weight:700; font-size:14px; }
.state-none { background:#eef1f4; color:#444; } .state-issued { background:#fff4d6; color:#7a5200; }
.state-active { background:#e3f4ea; color:var(--ok); } .state-locked { background:#fde7e5; color:var(--err); }
.steps { list-style:none; display:flex; flex-wrap:wrap; gap:0; padding:0; margin:0 0 18px; counter-reset: s; }
.steps li { position:relative; padding:8px 22px 8px 30px; background:#e8ecf1; color:#555; font-size:14px; margin-right:4px;
  clip-path: polygon(0 0, calc(100% - 12px) 0, 100% 50%, calc(100% - 12px) 100%, 0 100%, 12px 50%); }
.steps li:first-child { padding-left:16px; clip-path: polygon(0 0, calc(100% - 12px) 0, 100% 50%, calc(100% - 12px) 100%, 0 100%); }
.steps li.past { background:#cfdae7; color:#334; }
.steps li.current { background:var(--navy); color:#fff; font-weight:700; }
.field { display:grid; grid-template-columns: 34% 1fr; border-top:1px solid var(--line); }
.field:first-child { border-top:none; }
.field > label { background:#f7f9fb; padding:12px 14px; font-weight:600; }
.field .control { padding:10px 14px; }
.req { display:inline-block; background:var(--accent); color:#fff; font-size:11px; padding:1px 6px; border-radius:3px;
  margin-right:8px; vertical-align:2px; font-weight:700; }
input[type=text], input[type=password], input[type=email], input[type=tel], input[type=number], select {
  font:inherit; padding:9px 10px; border:1px solid #9aa5b1; border-radius:4px; width:100%; max-width:420px; background:#fff; }
input.short { max-width:200px; letter-spacing:.12em; }
input:focus, select:focus, button:focus-visible, a:focus-visible { outline:3px solid #f0b429; outline-offset:1px; }
.has-error input { border-color:var(--err); background:#fff8f7; }
.hint { margin:4px 0 0; font-size:13px; color:var(--muted); }
.error { margin:6px 0 0; color:var(--err); font-weight:600; font-size:14px; }
.alert { border-radius:6px; padding:10px 14px; margin:0 0 16px; }
.alert p { margin:0; } .alert ul { margin:6px 0 0; padding-left:20px; }
.alert-error { background:#fdecea; border:1px solid #f5b7b1; color:#7d1f16; }
.alert-info { background:#e9f2fb; border:1px solid #b6d0ea; color:#17406a; }
.alert-warn { background:#fff6e0; border:1px solid #f0d28a; color:#6b4a00; }
.actions { display:flex; flex-wrap:wrap; justify-content:center; gap:14px; margin:22px 0 8px; }
.actions form { margin:0; }
.actions-back { text-align:center; margin-top:6px; }
.btn { font:inherit; font-weight:700; border-radius:6px; padding:11px 28px; cursor:pointer; border:1px solid transparent;
  text-decoration:none; display:inline-block; min-width:160px; text-align:center; }
.btn-primary { background:var(--accent); color:#fff; border-color:var(--accent2); }
.btn-primary:hover { background:var(--accent2); }
.btn-secondary { background:#fff; color:var(--navy); border-color:var(--navy); }
.btn-link { background:none; border:none; color:var(--navy); text-decoration:underline; min-width:0; font-weight:600; }
.btn-logout { background:#fff; color:var(--navy); border:1px solid var(--navy); padding:5px 14px; min-width:0; font-size:14px; }
.btn[disabled], .btn[aria-disabled=true] { background:#d9dde2; color:#7b838c; border-color:#c5cbd2; cursor:not-allowed; }
.menu { display:grid; grid-template-columns: repeat(3, 1fr); gap:12px; margin:18px 0; }
.menu form { margin:0; } .menu .btn { width:100%; }
.notes { font-size:14px; }
.notes h3 { font-size:15px; margin:14px 0 4px; color:var(--navy); }
.notes p, .notes li { margin:2px 0; }
.hidden-form { display:none; }
.pad { margin:10px 16px; }
.choices .choice { display:flex; align-items:center; gap:14px; padding:10px 0; border-top:1px solid var(--line); }
.choices form:first-child .choice { border-top:none; }
.choices .btn { min-width:96px; padding:8px 18px; }
.big-ids td { font-size:20px; font-weight:700; letter-spacing:.08em; font-variant-numeric: tabular-nums; }
.login-box { max-width:520px; margin:10px auto; }
.login-box .btn-primary { width:100%; }
.login-box .field { grid-template-columns: 42% 1fr; }
.app-otp { background:#e3f4ea; border:1px solid #9fd3b5; color:#14532d; border-radius:6px; padding:8px 12px; margin:0 0 14px; }
.radio-row { display:flex; gap:22px; flex-wrap:wrap; }
.radio-row label { display:flex; align-items:center; gap:6px; font-weight:600; }
.kv-amount { font-size:20px; font-weight:700; }
a.aside { margin-left:.75em; }
footer.site { text-align:center; color:var(--muted); font-size:12px; padding:20px 10px 30px; }
[data-when][hidden], [data-when-not][hidden] { display:none !important; }
.pc-notes { list-style:none; padding:0; margin:0 0 16px; font-size:14px; }
.pc-notes li { margin:2px 0; }
.pc-numbers td { vertical-align:middle; }
.pc-number { white-space:nowrap; font-size:28px; font-weight:700; letter-spacing:.06em; font-variant-numeric: tabular-nums; color:var(--navy); }
a.pc-call { text-decoration:none; border-bottom:2px solid var(--navy); }
.pc-status { background:#fff; border:1px solid var(--line); border-left:5px solid var(--navy); border-radius:6px;
  padding:12px 16px; margin:0 0 8px; }
.pc-status p { margin:0; }
.pc-left strong { font-size:26px; color:var(--accent); font-variant-numeric: tabular-nums; }
.pc-deadline { color:var(--muted); font-size:14px; }
.phone-check[data-state=verified] .pc-status { border-left-color:var(--ok); background:#e3f4ea; color:#14532d; font-weight:700; }
.phone-check[data-state=expired] .pc-status { border-left-color:var(--err); background:#fdecea; color:#7d1f16; font-weight:700; }
.phone-check .actions { margin-top:14px; }
@media (max-width: 640px) {
  body { font-size:15px; }
  header.site { padding:8px 12px; }
  .brand .sub { display:none; }
  main { padding:14px 10px 30px; }
  h1 { font-size:19px; }
  .field { grid-template-columns: 1fr; }
  .field > label { padding:8px 12px 4px; background:none; }
  .field .control { padding:0 12px 12px; }
  table.info th { width:40%; }
  .menu { grid-template-columns: 1fr; }
  .actions { flex-direction:column-reverse; align-items:stretch; }
  .actions .btn { width:100%; }
  .steps li { font-size:12px; padding:6px 14px 6px 22px; }
  table.pc-numbers, table.pc-numbers tbody, table.pc-numbers tr, table.pc-numbers th, table.pc-numbers td { display:block; width:auto; }
  table.pc-numbers td { border-top:none; padding-top:0; }
  .pc-number { font-size:24px; }
  a.pc-call { display:block; text-align:center; border:2px solid var(--navy); border-radius:6px; padding:6px 8px; }
}
@media print {
  header.site .who, nav.global, .actions, .actions-back, footer.site, [data-print] { display:none !important; }
  body { background:#fff; }
}
`;

export const PORTAL_JS = `
(function () {
  // 「ワンタイムパスワードでログイン」: the app opens /ib/login#otp=NNNNNNNN. A fragment never
  // reaches a server or its logs; it is moved into the form and removed from the address bar.
  var m = /^#otp=([0-9]{6,10})$/.exec(location.hash);
  var slot = document.getElementById('app-otp');
  if (m && slot) {
    slot.value = m[1];
    var note = document.getElementById('app-otp-note');
    if (note) note.hidden = false;
    history.replaceState(null, '', location.pathname + location.search);
  }
  // The language switch (/ib/lang) draws the same step again in the other language: the server
  // keeps the session and the flow, and what was typed but not sent yet is carried over here, in
  // this tab's sessionStorage for the one reload. Passwords, hidden fields, one-time codes and
  // fields marked data-no-carry never are.
  var CARRY = 'ib-lang-carry';
  var carried = function (el) {
    var t = (el.getAttribute('type') || el.tagName).toLowerCase();
    return !!el.name && t !== 'password' && t !== 'hidden' && t !== 'submit' && t !== 'button' &&
      el.getAttribute('autocomplete') !== 'one-time-code' && !el.hasAttribute('data-no-carry');
  };
  document.querySelectorAll('a[data-lang-switch]').forEach(function (a) {
    a.addEventListener('click', function () {
      var fields = [];
      document.querySelectorAll('form[method=post]').forEach(function (f) {
        Array.prototype.forEach.call(f.elements, function (el) {
          if (!carried(el)) return;
          if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) return;
          fields.push([f.getAttribute('action'), el.name, el.value]);
        });
      });
      try {
        sessionStorage.setItem(CARRY, JSON.stringify({ path: location.pathname, at: Date.now(), fields: fields }));
      } catch (e) { /* storage off: the switch still works, the typing is lost */ }
    });
  });
  try {
    var carry = JSON.parse(sessionStorage.getItem(CARRY) || 'null');
    sessionStorage.removeItem(CARRY);
    if (carry && carry.path === location.pathname && Date.now() - carry.at < 60000) {
      carry.fields.forEach(function (x) {
        document.querySelectorAll('form[method=post]').forEach(function (f) {
          if (f.getAttribute('action') !== x[0]) return;
          var el = f.elements.namedItem(x[1]);
          if (!el) return;
          if (typeof RadioNodeList !== 'undefined' && el instanceof RadioNodeList) el.value = x[2];
          else if (carried(el)) { if (el.type === 'checkbox') el.checked = true; else el.value = x[2]; }
        });
      });
    }
  } catch (e) { /* nothing carried */ }
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
  // 電話番号認証 (guide 000 STEP 1 ⑤): count the 120 seconds down, ask the server every 2 s
  // whether the call came and, when it did, submit the screen's own form
  // (「電話番号認証完了後、自動で電話が切れ、次画面に自動遷移します」). Past the time: the message to
  // try again, and no more asking. The server's answer decides; the count is only shown.
  var pc = document.querySelector('[data-phone-check]');
  if (pc && pc.getAttribute('data-state') === 'pending') {
    var pcForm = document.getElementById(pc.getAttribute('data-form') || '');
    var pcUrl = pc.getAttribute('data-status-url') || '';
    var pcEnd = Date.now() + Number(pc.getAttribute('data-seconds-left') || '0') * 1000;
    var pcCount = pc.querySelector('[data-countdown]');
    var pcOver = false;
    var pcShow = function (state) {
      pc.setAttribute('data-state', state);
      document.querySelectorAll('[data-when]').forEach(function (e) {
        e.hidden = e.getAttribute('data-when') !== state;
      });
      document.querySelectorAll('[data-when-not]').forEach(function (e) {
        e.hidden = e.getAttribute('data-when-not') === state;
      });
    };
    var pcTick = function () {
      if (pcOver) return;
      var left = Math.max(0, Math.ceil((pcEnd - Date.now()) / 1000));
      if (pcCount) pcCount.textContent = String(left);
      setTimeout(pcTick, 250);
    };
    var pcNext = function () {
      // The server's clock decides; if it never answers, give up a little after the end.
      if (Date.now() > pcEnd + 10000) { pcOver = true; pcShow('expired'); return; }
      setTimeout(pcPoll, 2000);
    };
    var pcPoll = function () {
      if (pcOver) return;
      fetch(pcUrl, { headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
        .then(function (r) {
          // Logged out meanwhile (the answer is the login page): go there.
          if (r.redirected) { pcOver = true; location.href = r.url; return null; }
          if (r.status === 404) { pcOver = true; return null; }
          return r.ok ? r.json() : undefined;
        })
        .then(function (j) {
          if (pcOver) return;
          if (j && j.state === 'verified') {
            pcOver = true;
            pcShow('verified');
            if (pcForm) { if (pcForm.requestSubmit) pcForm.requestSubmit(); else pcForm.submit(); }
          } else if (j && j.state === 'expired') {
            pcOver = true;
            if (pcCount) pcCount.textContent = '0';
            pcShow('expired');
          } else {
            if (j && typeof j.secondsLeft === 'number') pcEnd = Date.now() + j.secondsLeft * 1000;
            pcNext();
          }
        }, pcNext);
    };
    pcTick();
    setTimeout(pcPoll, 2000);
  }
  // One click, one submission (the server also treats a second one as harmless).
  document.querySelectorAll('form').forEach(function (f) {
    f.addEventListener('submit', function () {
      setTimeout(function () {
        f.querySelectorAll('button[type=submit]').forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
})();
`;
