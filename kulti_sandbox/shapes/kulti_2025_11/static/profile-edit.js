/* The Edit Profile modal (components/profile/edit-profile-modal.tsx): supabase-js
 * from("profiles").update({display_name, bio}).eq("id", <own id>), then a full reload; an error
 * is a native alert. A 0-row update (RLS) is no error to supabase-js, so the page reloads as usual. */
(function () {
  "use strict";
  var modal = document.querySelector("[data-role=edit-profile-modal]");
  if (!modal) return;
  var faults = JSON.parse(document.getElementById("kulti-config").textContent).faults || {};
  var name = modal.querySelector("[name=display_name]"), bio = modal.querySelector("[name=bio]");
  var save = modal.querySelector("[data-action=save-profile]");

  function refresh() {
    modal.querySelectorAll("[data-counter]").forEach(function (p) {
      p.textContent = modal.querySelector("[name=" + p.dataset.counter + "]").value.length + "/" + p.dataset.max + " characters";
    });
    save.disabled = !name.value.trim();
  }
  function open() {
    // slow_profile_edit_form: the sandbox fault that delays the modal by VALUE ms.
    if (faults.slow_profile_edit_form) setTimeout(function () { modal.hidden = false; }, Number(faults.slow_profile_edit_form));
    else modal.hidden = false;
  }
  document.querySelector("[data-action=edit-profile]").addEventListener("click", open);
  modal.querySelectorAll("[data-action=close-edit]").forEach(function (b) {
    b.addEventListener("click", function () { modal.hidden = true; });
  });
  // profile_bio_input_reverts: the sandbox fault whose Bio field puts its text back on every input.
  if (faults.profile_bio_input_reverts) bio.addEventListener("input", function () { bio.value = bio.defaultValue; });
  [name, bio].forEach(function (f) { f.addEventListener("input", refresh); });
  refresh();

  save.addEventListener("click", async function () {
    save.disabled = true;
    save.textContent = "Saving...";
    var result = await window.kultiRest.update("profiles", { display_name: name.value, bio: bio.value || null },
                                               [["id", "eq." + modal.dataset.profileId]]);
    if (result.error) {
      alert("Failed to update profile");
      save.textContent = "Save Changes";
      refresh();
    } else {
      window.location.reload();
    }
  });
})();
