/* The signed-in nav bar: user menu (router.push targets), Create Session, and Log out as
 * the real one does it: supabase.auth.signOut(), then router.push("/"). */
(function () {
  "use strict";
  var nav = document.querySelector(".navbar");
  if (!nav) return;
  var holder = nav.querySelector(".user-menu"), template = holder.querySelector("template[data-role=user-menu]");
  // The open menu is in the DOM only while open, as in the real nav bar.
  function closeMenu() { var open = holder.querySelector(".menu"); if (open) open.remove(); }
  function toggleMenu() {
    if (holder.querySelector(".menu")) closeMenu();
    else holder.appendChild(template.content.cloneNode(true));
  }
  nav.addEventListener("click", async function (e) {
    var el = e.target.closest("button");
    if (!el) return;
    var action = el.getAttribute("data-action"), href = el.getAttribute("data-href");
    if (action === "open-create" && !document.querySelector("[data-role=create-modal]")) {
      window.kultiNavigate("/dashboard?create=true");
    }
    if (action === "toggle-menu") toggleMenu();
    if (href) { closeMenu(); window.kultiNavigate(href); }
    if (action === "logout") {
      // Sandbox fault logout_broken: the move to / happens, the sign-out does not.
      var faults = JSON.parse(document.getElementById("kulti-config").textContent).faults || {};
      if (!faults.logout_broken) await window.kultiAuth.signOut();
      window.kultiNavigate("/");
    }
  });
})();
