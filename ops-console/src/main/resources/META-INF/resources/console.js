// Keyboard use without a mouse: "/" focuses the page's search field, "g" then a letter opens a
// page, j/k move between table rows (each row's first link or button gets the focus), and forms
// with data-confirm ask before they act. No dependencies, nothing loaded from elsewhere.
(function () {
  'use strict';
  var pages = { o: '/', r: '/refunds', u: '/users', d: '/doctor', m: '/outbox', w: '/webhooks', a: '/audit', v: '/audit/verify', f: '/audit/findings' };
  var pendingG = false;
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll('table.data tbody tr')); }
  function moveRow(step) {
    var all = rows();
    if (!all.length) { return; }
    var current = all.indexOf(document.activeElement && document.activeElement.closest ? document.activeElement.closest('tr') : null);
    var next = all[Math.max(0, Math.min(all.length - 1, current + step))];
    var target = next.querySelector('a, button, input, textarea') || next;
    if (target === next) { next.tabIndex = -1; }
    target.focus();
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) { return; }
    if (pendingG) {
      pendingG = false;
      if (pages[e.key]) { e.preventDefault(); window.location.href = pages[e.key]; }
      return;
    }
    if (e.key === 'g') { pendingG = true; setTimeout(function () { pendingG = false; }, 1500); return; }
    if (e.key === '/') {
      var search = document.querySelector('[data-search]');
      if (search) { e.preventDefault(); search.focus(); search.select && search.select(); }
    } else if (e.key === 'j') { moveRow(1); } else if (e.key === 'k') { moveRow(-1); }
  });
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) { e.preventDefault(); }
  });
})();
