// Suggestions while typing in the municipality search (the ARIA 1.2 combobox pattern with a
// list box). Progressive enhancement: without this file the search form works as a plain GET.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-suggest]");
    if (!form || !window.fetch) {
      return;
    }
    var input = form.querySelector("input[name=q]");
    if (!input) {
      return;
    }
    var listId = input.id + "-suggestions";
    var wrapper = document.createElement("div");
    wrapper.className = "suggest";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.querySelector("label[for='" + input.id + "']").textContent);
    list.hidden = true;
    wrapper.appendChild(list);

    var status = document.createElement("p");
    status.className = "ds-sr-only";
    status.setAttribute("role", "status");
    form.appendChild(status);

    input.setAttribute("type", "text"); // the combobox role belongs on a text field
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var results = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function announce(count) {
      var text = count === 0 ? form.getAttribute("data-suggest-none")
        : count === 1 ? form.getAttribute("data-suggest-one")
          : form.getAttribute("data-suggest-many").replace("{n}", String(count));
      status.textContent = text;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      if (results[index]) {
        window.location.assign(results[index].url);
      }
    }

    function render(items) {
      results = items;
      list.textContent = "";
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "suggest__option";
        var name = document.createElement("span");
        name.className = "suggest__name";
        name.textContent = item.name;
        var detail = document.createElement("span");
        detail.className = "suggest__detail";
        detail.textContent = " (" + item.detail + ")";
        option.appendChild(name);
        option.appendChild(detail);
        // mousedown, not click: the input keeps focus and does not close the list first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(option);
      });
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      announce(items.length);
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) {
        results = [];
        list.textContent = "";
        close();
        status.textContent = "";
        return;
      }
      var ticket = ++latest;
      var url = form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (ticket === latest) {
            render(data.results || []);
          }
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 200);
    });

    input.addEventListener("keydown", function (event) {
      var count = results.length;
      if (event.key === "ArrowDown") {
        if (list.hidden && count) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        if (count) {
          event.preventDefault();
          highlight((active + 1) % count);
        }
      } else if (event.key === "ArrowUp") {
        if (count && !list.hidden) {
          event.preventDefault();
          highlight(active <= 0 ? count - 1 : active - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault(); // open the chosen municipality, not the search results
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", close);
  });
})();
