// Card sort: drag an item onto a group, or choose its group in the select (the keyboard
// way, which works without this script). Either way the select holds the answer that
// the Save button sends; this script only keeps the cards and the selects in step.
(function () {
  "use strict";
  var board = document.querySelector("[data-cardsort]");
  if (!board) { return; }

  function columnFor(groupId) {
    return board.querySelector('.column[data-group="' + groupId + '"] .cards');
  }

  function move(card, groupId) {
    var target = columnFor(groupId);
    if (target && card.parentNode !== target) { target.appendChild(card); }
    var select = card.querySelector("select");
    if (select) { select.value = groupId; }
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".card");
    if (!card) { return; }
    event.dataTransfer.setData("text/plain", card.getAttribute("data-item"));
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("dragging");
  });
  board.addEventListener("dragend", function (event) {
    var card = event.target.closest && event.target.closest(".card");
    if (card) { card.classList.remove("dragging"); }
  });
  board.querySelectorAll(".column").forEach(function (column) {
    column.addEventListener("dragover", function (event) {
      event.preventDefault();
      column.classList.add("over");
    });
    column.addEventListener("dragleave", function () { column.classList.remove("over"); });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("over");
      var id = event.dataTransfer.getData("text/plain");
      var card = board.querySelector('.card[data-item="' + id + '"]');
      if (card) { move(card, column.getAttribute("data-group")); }
    });
  });
  board.addEventListener("change", function (event) {
    var select = event.target;
    if (select.tagName !== "SELECT") { return; }
    var card = select.closest(".card");
    if (card) {
      move(card, select.value);
      select.focus();
    }
  });
})();
