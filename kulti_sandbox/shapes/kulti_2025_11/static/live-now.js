/*
 * The dashboard's first render, done in the browser as app/(dashboard)/dashboard/page.tsx does
 * it: only a spinner until its queries finish (the user from GoTrue, the profile's
 * profile_completed, the live public sessions from PostgREST), then the page with "Live Now".
 * The online-count query is left out: this shape has no user_presence table.
 * Cards follow components/dashboard/session-card.tsx, as templates/_session_card.html does.
 */
(function () {
  "use strict";
  var page = document.querySelector("[data-role=dashboard-page]");
  if (!page) return;
  var LIVE_NOW = "*, host:profiles!host_id(*), participants:session_participants(count)";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function card(s, userId) {
    var viewers = (s.participants && s.participants[0] && s.participants[0].count) || 0;
    var root = el("div", "session-card"), host = el("div", "host"), meta = el("div", "meta");
    root.appendChild(el("h3", "", s.title));
    if (s.description) root.appendChild(el("p", "muted", s.description));
    // The real card reads host.display_name unguarded: a host hidden by RLS breaks the page there too.
    host.appendChild(el("div", "initial", s.host.display_name[0].toUpperCase()));
    host.appendChild(el("span", "", s.host.display_name));
    root.appendChild(host);
    meta.appendChild(el("span", "", viewers + (viewers === 1 ? " viewer" : " viewers")));
    if (s.started_at) meta.appendChild(el("span", "", window.kultiFormatTime(s.started_at)));
    if (s.status === "live") meta.appendChild(el("span", "live", "LIVE"));
    root.appendChild(meta);
    var join = el("a", "button primary wide", s.host_id === userId ? "Enter Session" : "Join Session");
    join.href = "/s/" + s.room_code;
    root.appendChild(join);
    return root;
  }

  function markProfileIncomplete() {
    var find = page.querySelector("[data-action=find-session]");
    find.disabled = true;
    find.title = "Complete your profile first";
    find.setAttribute("aria-disabled", "true");
  }

  async function load() {
    var user = (await window.kultiAuth.getUser()).data.user, userId = user ? user.id : "";
    if (user) {
      var profile = await window.kultiRest.select("profiles", "profile_completed", [["id", "eq." + user.id]], { single: true });
      if (profile.data && !profile.data.profile_completed) markProfileIncomplete();
    }
    var live = await window.kultiRest.select("sessions", LIVE_NOW, [["status", "eq.live"], ["is_public", "eq.true"]],
                                             { order: "started_at.desc" });
    var sessions = live.data || [], list = page.querySelector("[data-role=live-list]");
    sessions.forEach(function (s) { list.appendChild(card(s, userId)); });
    list.hidden = sessions.length === 0;
    page.querySelector("[data-role=live-empty]").hidden = sessions.length > 0;
    document.querySelector("[data-role=dashboard-spinner]").remove();
    page.hidden = false;
  }

  load();
})();
