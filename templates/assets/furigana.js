// The furigana switch on easy pages (issue 25). It works without this
// script (CSS hides <rt> while the box is unchecked); the script only
// remembers the choice from page to page.
(function () {
  var box = document.getElementById("furigana");
  if (!box) return;
  var key = "tsunagu-furigana";
  try {
    if (localStorage.getItem(key) === "off") box.checked = false;
    box.addEventListener("change", function () {
      localStorage.setItem(key, box.checked ? "on" : "off");
    });
  } catch (e) {
    // storage blocked: the switch still works on this page
  }
})();
