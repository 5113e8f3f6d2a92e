/**
 * The console's stylesheet, served from /admin/assets/ (the CSP allows only same-origin styles;
 * nothing inline). A calm back-office look: navy header, dense tables, system fonts.
 */
export const ADMIN_CSS = `
:root { --navy:#1b2f4a; --navy2:#2b4a72; --ink:#1f2328; --muted:#5b6470; --line:#d0d7de; --bg:#f3f4f6;
  --head:#eef1f5; --accent:#b42318; --ok:#1e7b4f; --warn:#8a5a00; --err:#b42318; --focus:#2f6fde; }
* { box-sizing:border-box; }
html { -webkit-text-size-adjust:100%; }
body { margin:0; font-family:"Hiragino Kaku Gothic ProN","Noto Sans CJK JP","Noto Sans JP","Yu Gothic",Meiryo,system-ui,sans-serif;
  color:var(--ink); background:var(--bg); font-size:14px; line-height:1.55; }
a { color:var(--navy2); }
:focus-visible { outline:2px solid var(--focus); outline-offset:2px; }
header.bar { background:var(--navy); color:#fff; display:flex; flex-wrap:wrap; align-items:center; justify-content:space-between;
  gap:8px 16px; padding:8px 16px; }
.brand { display:flex; align-items:center; gap:10px; min-width:0; }
.seal { display:inline-grid; place-items:center; width:28px; height:28px; border:2px solid #f2b8b0; color:#f2b8b0;
  border-radius:6px; font-family:serif; font-weight:700; flex:none; }
.brand .product { font-weight:700; letter-spacing:.02em; }
.brand .bank { color:#c9d5e6; font-size:13px; }
.who { display:flex; flex-wrap:wrap; align-items:center; gap:8px 12px; font-size:13px; }
.who .role { border:1px solid #8fa6c4; border-radius:3px; padding:0 6px; font-size:12px; color:#dbe4f0; }
.who a.lang { color:#fff; border:1px solid #8fa6c4; border-radius:3px; padding:1px 8px; text-decoration:none; }
.who a.password { color:#dbe4f0; font-size:12px; }
.who form { margin:0; }
.who button { background:transparent; color:#fff; border:1px solid #8fa6c4; border-radius:3px; padding:2px 10px; font:inherit; cursor:pointer; }
nav.menu { background:#fff; border-bottom:1px solid var(--line); }
nav.menu ul { list-style:none; margin:0; padding:0 8px; display:flex; overflow-x:auto; }
nav.menu a { display:block; padding:9px 14px; text-decoration:none; color:var(--ink); white-space:nowrap; border-bottom:3px solid transparent; }
nav.menu a[aria-current] { border-bottom-color:var(--navy2); font-weight:700; }
main { max-width:1180px; margin:0 auto; padding:16px 16px 32px; }
main.narrow { max-width:520px; }
h1 { font-size:18px; margin:0 0 12px; padding-bottom:6px; border-bottom:2px solid var(--navy); color:var(--navy); }
h2 { font-size:14px; margin:0; padding:7px 12px; background:var(--head); border-bottom:1px solid var(--line); }
.lead { margin:0 0 12px; color:#333; }
.panel { background:#fff; border:1px solid var(--line); border-radius:4px; margin:0 0 14px; overflow:hidden; }
.panel > .body { padding:12px; }
.grid2 { display:grid; grid-template-columns:1fr 1fr; gap:0 14px; }
@media (max-width:800px) { .grid2 { grid-template-columns:1fr; } }
.scroll { overflow-x:auto; }
table { border-collapse:collapse; width:100%; }
table.kv th, table.kv td { text-align:left; padding:5px 12px; border-top:1px solid var(--line); vertical-align:top; }
table.kv tr:first-child th, table.kv tr:first-child td { border-top:none; }
table.kv th { width:38%; background:#fafbfc; font-weight:600; color:#333; white-space:nowrap; }
table.list th, table.list td { text-align:left; padding:5px 10px; border-top:1px solid var(--line); white-space:nowrap; }
table.list thead th { background:#fafbfc; border-top:none; font-weight:600; font-size:13px; }
table.list td.wrap { white-space:normal; min-width:12em; }
table.list tbody tr:hover { background:#f7f9fc; }
.mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:13px; }
.tag { display:inline-block; padding:0 7px; border-radius:3px; font-size:12px; font-weight:700; border:1px solid; }
.tag-active { color:var(--ok); border-color:#9fd3b7; background:#eef8f2; }
.tag-issued, .tag-provisioned { color:var(--warn); border-color:#e6c98a; background:#fff8e6; }
.tag-none, .tag-ended { color:#555; border-color:#ccc; background:#f4f4f4; }
.tag-locked { color:var(--err); border-color:#f0b4ae; background:#fdeeed; }
.alert { border:1px solid; border-radius:4px; padding:8px 12px; margin:0 0 12px; }
.alert p { margin:0; }
.alert-error { border-color:#f0b4ae; background:#fdeeed; color:#7a1a12; }
.alert-info { border-color:#b6cdea; background:#eef4fb; color:#1b3a66; }
.alert-ok { border-color:#9fd3b7; background:#eef8f2; color:#14532d; }
form.stack .field { margin:0 0 10px; }
label { display:block; font-weight:600; margin:0 0 3px; }
input[type=text], input[type=password], input[type=search], textarea { width:100%; padding:7px 9px; font:inherit; font-size:15px;
  border:1px solid #9aa4b1; border-radius:3px; background:#fff; }
textarea { min-height:5em; resize:vertical; }
input.code { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:20px; letter-spacing:.2em; max-width:10em; }
.hint { color:var(--muted); font-size:12px; margin:3px 0 0; }
.error { color:var(--err); font-size:13px; margin:3px 0 0; }
.has-error input, .has-error textarea { border-color:var(--err); }
.actions { display:flex; flex-wrap:wrap; gap:8px; align-items:center; margin:12px 0 0; }
.btn { display:inline-block; padding:7px 16px; border-radius:3px; font:inherit; font-weight:600; cursor:pointer; text-decoration:none;
  border:1px solid var(--navy2); background:var(--navy2); color:#fff; }
.btn:hover { background:var(--navy); }
.btn-secondary { background:#fff; color:var(--navy2); }
.btn-secondary:hover { background:#f0f4fa; }
.btn-danger { background:var(--accent); border-color:var(--accent); }
.btn-danger:hover { background:#8f1c13; }
.searchbar { display:flex; gap:8px; }
.searchbar input { flex:1; }
.enrol { display:grid; grid-template-columns:220px 1fr; gap:16px; align-items:start; }
@media (max-width:600px) { .enrol { grid-template-columns:1fr; } }
.enrol form { margin-top:14px; }
.enrol img { width:220px; height:220px; border:1px solid var(--line); background:#fff; image-rendering:pixelated; }
.secret { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:15px; letter-spacing:.08em; word-break:break-all;
  background:#fafbfc; border:1px dashed #9aa4b1; padding:6px 8px; border-radius:3px; }
footer.note { max-width:1180px; margin:0 auto; padding:0 16px 24px; color:var(--muted); font-size:12px; }
main.narrow + footer.note { max-width:520px; }
@media (max-width:600px) { main { padding:12px 10px 24px; } table.kv th { width:44%; white-space:normal; } }
.decide { display:flex; flex-wrap:wrap; gap:12px 24px; align-items:flex-end; }
.decide form { margin:0; }
form.inline-reason { display:flex; gap:8px; align-items:flex-end; flex-wrap:wrap; }
form.inline-reason .field { margin:0; min-width:22em; }
ul.counts { list-style:none; margin:0; padding:0; display:grid; grid-template-columns:repeat(auto-fill,minmax(140px,1fr)); gap:10px; }
ul.counts li { border:1px solid var(--line); border-radius:4px; padding:8px 12px; background:#fafbfc; }
ul.counts .label { display:block; color:var(--muted); font-size:12px; font-weight:600; }
ul.counts .n { display:block; font-size:24px; font-weight:700; color:var(--navy); font-variant-numeric:tabular-nums; }
form.inline { display:flex; gap:6px; align-items:center; margin:0; flex-wrap:wrap; }
form.inline .error { flex-basis:100%; }
input.serial { width:11em; padding:5px 7px; font-size:14px; border:1px solid #9aa4b1; border-radius:3px; }
textarea.mono { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12px; min-height:8em; }
input[type=date] { padding:6px 8px; font:inherit; border:1px solid #9aa4b1; border-radius:3px; }
.tag-hw-stock { color:#1b3a66; border-color:#b6cdea; background:#eef4fb; }
.tag-hw-shipped, .tag-hw-waiting { color:var(--warn); border-color:#e6c98a; background:#fff8e6; }
.tag-hw-active { color:var(--ok); border-color:#9fd3b7; background:#eef8f2; }
.tag-hw-ended, .tag-hw-expired { color:#555; border-color:#ccc; background:#f4f4f4; }
ul.counts a { text-decoration:none; }
input.num { width:7em; padding:6px 8px; font:inherit; font-size:15px; border:1px solid #9aa4b1; border-radius:3px; }
.check { display:flex; gap:8px; align-items:flex-start; margin:0 0 8px; }
.check label { font-weight:400; margin:0; }
.check input { margin-top:4px; }
form.filters { display:flex; flex-wrap:wrap; gap:8px 14px; align-items:flex-end; }
form.filters .field { margin:0; min-width:11em; }
form.filters .actions { margin:0; }
select { padding:6px 8px; font:inherit; border:1px solid #9aa4b1; border-radius:3px; background:#fff; }
td.small { font-size:12px; color:#333; white-space:normal; min-width:14em; word-break:break-all; }
/* In a list that scrolls sideways, a row's buttons stay on one line: stacked, they made each row tall on a phone. */
.row-actions { display:flex; gap:6px; flex-wrap:nowrap; }
form.approve { display:flex; flex-direction:column; gap:6px; align-items:flex-start; max-width:26em; }
form.approve .check { margin:0; }
@media print {
  header.bar, nav.menu, footer.note, .no-print, h1 { display:none !important; }
  body { background:#fff; font-size:11pt; }
  main { max-width:none; padding:0; }
  .panel { border:none; }
  .print-sheet h2 { background:none; border-bottom:2px solid #000; font-size:13pt; }
  table.list th, table.list td { border:1px solid #000; padding:4px 6px; }
}
`;

/**
 * The console's only script (same origin, the CSP allows nothing inline; loaded by every page with
 * the menu): a chosen PSKC file is read into the form's text box (the server parses forms, not
 * uploads), the shipping list's print button, and the menu scrolled to the current screen's item
 * on a narrow screen. Every screen works without it.
 */
export const ADMIN_JS = `document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('input[type=file][data-fill]').forEach(function (input) {
    input.addEventListener('change', function () {
      var target = document.getElementById(input.getAttribute('data-fill'));
      var file = input.files && input.files[0];
      if (!target || !file) return;
      file.text().then(function (text) { target.value = text; });
    });
  });
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
  // On a narrow screen the menu scrolls sideways: bring the current screen's item into view.
  var current = document.querySelector('nav.menu [aria-current]');
  var menu = current && current.closest('ul');
  if (current && menu && menu.scrollWidth > menu.clientWidth) {
    var item = current.getBoundingClientRect(), bar = menu.getBoundingClientRect();
    menu.scrollLeft += item.left - bar.left - (bar.width - item.width) / 2;
  }
});
`;
