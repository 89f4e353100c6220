// Keyboard shortcuts on the console's review page (issue 11), a progressive enhancement: every
// shortcut presses a link or a button that is on the page anyway, so without this script (or with
// script blocked) the page works the same by mouse and Tab. Served from /static, which the console's
// CSP (script-src 'self') allows; nothing here is inline.
//
//   n / p      next / previous record in the queue (the 下一条 / 上一条 links)
//   m or 1     mask the current doubt;   k or 2   keep it
//   a          go to the approve form
//   ?          show or hide the list of shortcuts
//
// j/k for next/previous was left out because k keeps a doubt. The current doubt is the open doubt
// whose buttons hold the focus, else the first open doubt on the page; it is outlined.
(function () {
  "use strict";
  var legend = document.getElementById("shortcuts");
  if (!legend) return;
  var list = legend.querySelector("details");
  var status = document.getElementById("shortcut-status");
  legend.hidden = false;

  function say(message) {
    if (status) status.textContent = message;
  }

  function doubtForms() {
    return Array.prototype.slice.call(document.querySelectorAll("form[data-doubt]"));
  }

  function currentDoubt() {
    var forms = doubtForms();
    var active = document.activeElement;
    for (var i = 0; i < forms.length; i++) {
      if (active && forms[i].contains(active)) return forms[i];
    }
    return forms[0] || null;
  }

  function mark() {
    var current = currentDoubt();
    var id = current ? current.getAttribute("data-doubt") : null;
    doubtForms().forEach(function (form) {
      var item = form.closest("li") || form;
      item.classList.toggle("shortcut-current", form.getAttribute("data-doubt") === id);
    });
  }

  function resolve(resolution) {
    var form = currentDoubt();
    if (!form) {
      say("没有待处理的核对事项。");
      return;
    }
    var button = form.querySelector('button[name="resolution"][value="' + resolution + '"]');
    if (!button) return;
    say(resolution === "mask" ? "正在遮蔽……" : "正在保留……");
    if (form.requestSubmit) form.requestSubmit(button);
    else button.click();
  }

  function follow(rel) {
    var link = document.querySelector('a[rel="' + rel + '"]');
    if (link) window.location.assign(link.href);
    else say(rel === "next" ? "已是队列中的最后一条。" : "已是队列中的第一条。");
  }

  function approve() {
    var form = document.getElementById("approve-form");
    if (!form) {
      say("此决定当前不能批准。");
      return;
    }
    form.scrollIntoView({ block: "center" });
    var button = form.querySelector('button[type="submit"]');
    if (button && !button.disabled) {
      button.focus();
      say("按回车键批准。");
      return;
    }
    var open = currentDoubt();
    say("还有待核对事项，处理后才能批准。");
    if (open) {
      open.querySelector("button").focus();
      mark();
    }
  }

  function typing(target) {
    return !!(
      target &&
      target.closest &&
      target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])')
    );
  }

  var actions = {
    n: function () { follow("next"); },
    p: function () { follow("prev"); },
    m: function () { resolve("mask"); },
    1: function () { resolve("mask"); },
    k: function () { resolve("keep"); },
    2: function () { resolve("keep"); },
    a: approve,
    "?": function () {
      list.open = !list.open;
      if (list.open) list.querySelector("summary").focus();
    },
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.keyCode === 229) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var key = event.key && event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (event.key === "?") key = "?";
    var action = actions[key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  document.addEventListener("focusin", mark);
  mark();
})();
