// The ask box's answer panel: its close button, and Escape from anywhere in the box, put it away.
// A suggested question (a button under an answer it could not give) is put in the field and asked.
(function () {
  function close(box) {
    var answer = box.querySelector("#ask-answer");
    if (answer) answer.innerHTML = "";
  }
  document.addEventListener("click", function (event) {
    var suggestion = event.target.closest("[data-ask-suggestion]");
    if (suggestion) {
      var form = document.getElementById("ask-form");
      var field = form && form.querySelector("input[name=question]");
      if (!field || !form.requestSubmit) return;
      event.preventDefault();
      field.value = suggestion.value;
      form.requestSubmit();
      return;
    }
    var button = event.target.closest("[data-ask-close]");
    if (!button) return;
    var box = button.closest(".ask-box");
    close(box);
    var input = box.querySelector("input[name=question]");
    if (input) input.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var box = event.target.closest && event.target.closest(".ask-compact");
    if (box) close(box);
  });
})();
