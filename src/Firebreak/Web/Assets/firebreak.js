// Firebreak's one script. Pages work without it; with it they update live, tick countdowns, copy IDs,
// filter the timeline and confirm closing.
"use strict";

(() => {
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

  // Live fragments are rendered once for every viewer, without a token: give their forms this page's.
  const fillTokens = (root) => {
    for (const input of root.querySelectorAll('input[name="__RequestVerificationToken"]')) {
      if (!input.value) input.value = csrf();
    }
  };

  const pad = (n) => String(n).padStart(2, "0");
  const span = (ms) => {
    const s = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return h > 0 ? `${h}h ${pad(m)}m` : `${m}:${pad(sec)}`;
  };
  const tick = () => {
    const now = Date.now();
    for (const el of document.querySelectorAll("[data-due]")) {
      const left = Date.parse(el.dataset.due) - now;
      const prefix = el.textContent.startsWith("update") ? "update " : "";
      el.textContent = prefix + (left >= 0 ? `in ${span(left)}` : `overdue by ${span(left)}`);
      el.classList.toggle("overdue", left < 0);
    }
  };

  const applyFilters = () => {
    const timeline = document.getElementById("timeline");
    if (!timeline) return;
    for (const box of document.querySelectorAll("[data-filter]")) {
      timeline.classList.toggle(`hide-${box.dataset.filter}`, !box.checked);
    }
  };

  const setIndicator = (text, state) => {
    const el = document.getElementById("live-indicator");
    if (el) { el.textContent = text; el.dataset.state = state; }
  };

  const watchIncident = (article) => {
    const timeline = document.getElementById("timeline");
    const state = document.getElementById("live-state");
    const source = new EventSource(`${article.dataset.live}?after=${article.dataset.lastEvent}`);
    source.onopen = () => setIndicator("live", "live");
    source.onerror = () => setIndicator("reconnecting…", "down");
    source.addEventListener("incident", (event) => {
      const frame = JSON.parse(event.data);
      const focused = document.activeElement;
      const focusInState = state.contains(focused) ? focused?.closest("[data-role]")?.dataset.role : null;
      state.innerHTML = frame.state;
      fillTokens(state);
      if (focusInState) state.querySelector(`[data-role="${focusInState}"] button`)?.focus();
      // The severity form starts from the severity in force, unless someone is choosing in it right now.
      const severity = state.querySelector("[data-severity]")?.dataset.severity;
      const select = document.getElementById("severity-to");
      if (severity && select && document.activeElement !== select) select.value = severity;
      const incoming = document.createElement("template");
      incoming.innerHTML = frame.entries;
      const fresh = [...incoming.content.children].filter((li) => !timeline.querySelector(`[data-id="${li.dataset.id}"]`));
      for (const li of fresh.reverse()) {
        li.classList.add("arrived");
        timeline.prepend(li);
      }
      article.dataset.lastEvent = frame.last;
      tick();
    });
  };

  const watchDashboard = (board) => {
    let pending = null;
    const refresh = async () => {
      pending = null;
      const response = await fetch(board.dataset.refresh, { credentials: "same-origin" });
      if (response.ok) { board.innerHTML = await response.text(); tick(); }
    };
    const soon = () => { pending ??= setTimeout(refresh, 250); };
    const source = new EventSource(board.dataset.live);
    source.addEventListener("dashboard", soon);
    // Alerts arriving without an incident change are picked up on this slower beat.
    setInterval(soon, 15000);
  };

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy], [data-copy-link]");
    if (!button) return;
    const text = button.hasAttribute("data-copy-link") ? location.href.split("#")[0] : button.dataset.copy;
    try {
      await navigator.clipboard.writeText(text);
      const label = button.textContent;
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = label; }, 1500);
    } catch {
      window.prompt("Copy this:", text);
    }
  });

  document.addEventListener("submit", (event) => {
    if (event.target.id === "close-form" && !window.confirm("Close this incident? Closed incidents leave the active list for good.")) {
      event.preventDefault();
    }
  });

  // Ctrl+Enter (or Cmd+Enter) submits the form you are typing in, textareas included.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      const form = event.target.closest?.("form");
      if (form) { event.preventDefault(); form.requestSubmit(); }
    }
  });

  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-filter]")) applyFilters();
  });

  document.addEventListener("DOMContentLoaded", () => {
    const article = document.querySelector("article.incident[data-live]");
    if (article) watchIncident(article);
    const board = document.querySelector("#dashboard[data-live]");
    if (board) watchDashboard(board);
    applyFilters();
    tick();
    setInterval(tick, 1000);
  });
})();
