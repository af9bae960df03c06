// Filters the training hub's module list by audience and topic, in place.
// Without JavaScript every module is listed and the filter form stays hidden.
(function () {
  "use strict";
  var form = document.getElementById("module-filter");
  var list = document.getElementById("module-list");
  if (!form || !list) {
    return;
  }
  var cards = Array.prototype.slice.call(list.querySelectorAll(".module-card"));
  var status = form.querySelector(".filter-status");

  function words(element, name) {
    return (element.getAttribute(name) || "").split(/\s+/).filter(Boolean);
  }

  function apply() {
    var audience = form.elements.audience.value;
    var tags = Array.prototype.slice
      .call(form.querySelectorAll("input[name=tag]:checked"))
      .map(function (box) { return box.value; });
    var shown = 0;
    cards.forEach(function (card) {
      var matchesAudience = !audience || words(card, "data-audience").indexOf(audience) !== -1;
      var cardTags = words(card, "data-tags");
      var matchesTags = tags.every(function (tag) { return cardTags.indexOf(tag) !== -1; });
      var visible = matchesAudience && matchesTags;
      card.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    status.textContent = shown + " of " + cards.length + " modules shown";
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
}());
