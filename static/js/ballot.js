// The ballot page, live: Add and Remove (approval) or the points inputs (cumulative) update the money or points
// left, the meter and "Your ballot" in the page, and a status region says what changed. Enhancement only:
// without this file every button submits the form and the server does the same sums (views/ballots.py).
//
// The rule is the server's (forum/budgeting/services/voting.py, BallotRule): the page hands it over as JSON
// (the pot's money, the points allowed, the most proposals, and the messages with their {blanks}), and each
// proposal's cost is on its item. This file adds up and says what the rule says; it decides nothing of its own.
//
// A refused Add is said twice: in a GOV.UK error message beside the button that caused it (the button is
// described by it), and in the status region, which screen readers announce. The money-left bar at the foot of
// the proposals (sticky on a phone) shows the same figures as "Your ballot". Leaving the page with changes not
// yet submitted asks first (beforeunload); submitting the form does not.
//
// A ranked ballot (one select per rank) works as it is; this file adds "Move up" and "Move down" buttons beside
// each rank, which swap it with the rank above or below, keep focus on the moved proposal's button and say where
// it went in the status region; the "Your 1st choice" tags in the list follow the selects. A choose-1 ballot (GOV.UK
// radios) needs nothing but the unsaved-changes warning.

const form = document.querySelector("form[data-ballot]");

function formatPence(pence) {
  const sign = pence < 0 ? "-" : "";
  const whole = Math.abs(pence);
  const pounds = Math.floor(whole / 100);
  const rest = whole % 100;
  return `${sign}£${pounds.toLocaleString("en-GB")}${rest ? "." + String(rest).padStart(2, "0") : ""}`;
}

// A message of the rule with its {blanks} filled in.
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (blank, name) => (name in values ? String(values[name]) : blank));
}

function plural(n, word) {
  return `${n} ${word}${Math.abs(n) === 1 ? "" : "s"}`;
}

// What every ballot does: read the rule and the stored ballot, say things in the status region, and ask before
// leaving with changes not yet submitted. ``current()`` is the ballot on the page as proposal id -> points (or
// -> rank on a ranked ballot), as the stored ballot is given.
class BallotPage {
  constructor(root) {
    this.form = root;
    this.rule = JSON.parse(root.querySelector("[data-ballot-rule]").textContent);
    this.messages = this.rule.messages;
    this.status = root.querySelector("[data-ballot-status]");
    const stored = root.querySelector("[data-ballot-stored]");
    this.stored = stored ? JSON.parse(stored.textContent) : {};
    this.submitting = false;
  }

  start() {
    this.form.addEventListener("submit", () => {
      this.submitting = true;
    });
    window.addEventListener("beforeunload", (event) => {
      if (this.submitting || !this.unsaved()) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to ask
    });
  }

  current() {
    return {};
  }

  unsaved() {
    const now = this.current();
    const ids = new Set([...Object.keys(now), ...Object.keys(this.stored)]);
    return [...ids].some((id) => now[id] !== this.stored[id]);
  }

  say(message, problem = false) {
    if (!this.status) return;
    this.status.classList.toggle("pb-ballot__status--problem", problem);
    // Clear first, so saying the same thing twice is announced twice.
    this.status.textContent = "";
    window.setTimeout(() => {
      this.status.textContent = message;
    }, 50);
  }
}

// A choose-1 ballot: the checked radio.
class ChooseOneBallot extends BallotPage {
  current() {
    const checked = this.form.querySelector("input[name=choices]:checked");
    return checked ? { [checked.value]: 1 } : {};
  }
}

function rankName(n) {
  const tens = n % 100;
  const suffix = tens >= 10 && tens <= 20 ? "th" : { 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th";
  return `${n}${suffix} choice`;
}

// A ranked ballot: Move up and Move down beside each rank's select.
class RankedBallot extends BallotPage {
  constructor(root) {
    super(root);
    this.selects = [...root.querySelectorAll("select[data-ballot-rank]")];
    this.items = [...document.querySelectorAll("[data-ballot-item]")];
  }

  start() {
    super.start();
    this.selects.forEach((select, index) => this.addMoves(select, index));
    this.form.addEventListener("change", (event) => {
      if (event.target.matches("select[data-ballot-rank]")) this.showRanks();
    });
  }

  addMoves(select, index) {
    const moves = document.createElement("div");
    moves.className = "govuk-button-group pb-ranking__moves";
    if (index > 0) moves.append(this.moveButton(index, -1, "Move up"));
    if (index < this.selects.length - 1) moves.append(this.moveButton(index, 1, "Move down"));
    select.after(moves);
  }

  moveButton(index, step, verb) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "govuk-button govuk-button--secondary pb-ranking__move";
    button.dataset.ballotMove = String(step);
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = ` your ${rankName(index + 1)}`;
    button.append(document.createTextNode(verb), hidden);
    button.addEventListener("click", () => this.move(index, step));
    return button;
  }

  titleOf(select) {
    const item = this.items.find((candidate) => candidate.dataset.id === select.value);
    return item ? item.dataset.title : select.selectedOptions[0].textContent;
  }

  // Swap rank ``index`` with the one ``step`` away; focus follows the proposal to its new rank's same button
  // (or the other one, at the top or the bottom).
  move(index, step) {
    const from = this.selects[index];
    const to = this.selects[index + step];
    if (!from.value) {
      this.say(`Choose a proposal as your ${rankName(index + 1)} first.`, true);
      return;
    }
    [from.value, to.value] = [to.value, from.value];
    this.showRanks();
    const row = to.closest(".govuk-form-group");
    const buttons = [...row.querySelectorAll("[data-ballot-move]")];
    (buttons.find((b) => b.dataset.ballotMove === String(step)) || buttons[0] || to).focus();
    this.say(fill(this.messages.moved, { title: this.titleOf(to), rank: rankName(index + step + 1) }));
  }

  current() {
    const ranks = {};
    this.selects.forEach((select, index) => {
      if (select.value && !(select.value in ranks)) ranks[select.value] = index + 1;
    });
    return ranks;
  }

  // The "Your 1st choice" tags in the list of proposals, as the selects now say.
  showRanks() {
    const ranks = this.current();
    for (const item of this.items) {
      const rank = ranks[item.dataset.id];
      const tag = item.querySelector("[data-ballot-on]");
      tag.hidden = !rank;
      if (rank) tag.textContent = `Your ${rankName(rank)}`;
      item.classList.toggle("pb-ballot__item--chosen", Boolean(rank));
    }
  }
}

// An approval or cumulative ballot.
class Ballot extends BallotPage {
  constructor(root) {
    super(root);
    this.amount = this.rule.amount;
    this.pointsAllowed = this.rule.points;
    this.items = [...root.querySelectorAll("[data-ballot-item]")].map((el) => ({
      el,
      id: el.dataset.id,
      cost: Number(el.dataset.cost),
      title: el.dataset.title,
    }));
    this.chosenBox = root.querySelector("[data-ballot-chosen]");
    this.summary = root.querySelector(".pb-ballot__summary");
  }

  start() {
    super.start();
    if (this.rule.cumulative) {
      this.form.addEventListener("input", (event) => {
        if (event.target.matches("[data-ballot-points]")) this.recount(false);
      });
      const recount = this.form.querySelector("[data-ballot-recount]");
      if (recount) {
        recount.addEventListener("click", (event) => {
          event.preventDefault();
          this.recount(true);
        });
      }
    } else {
      this.form.addEventListener("click", (event) => {
        const button = event.target.closest("[data-ballot-toggle]");
        if (!button) return;
        event.preventDefault();
        this.toggle(button);
      });
    }
  }

  // Unsaved changes --------------------------------------------------------------------------------------------

  // The ballot on the page as proposal id -> points (approval: one point each).
  current() {
    const points = {};
    if (this.rule.cumulative) {
      for (const item of this.items) {
        const raw = item.el.querySelector("[data-ballot-points]").value.trim();
        if (/^\d+$/.test(raw) && Number(raw) > 0) points[item.id] = Number(raw);
      }
    } else {
      for (const id of this.chosenIds()) points[id] = 1;
    }
    return points;
  }

  // Approval ---------------------------------------------------------------------------------------------------

  chosenIds() {
    return [...this.chosenBox.querySelectorAll("input[name=chosen]")].map((input) => input.value);
  }

  spent() {
    const chosen = new Set(this.chosenIds());
    return this.items.filter((item) => chosen.has(item.id)).reduce((sum, item) => sum + item.cost, 0);
  }

  toggle(button) {
    const item = this.items.find((candidate) => candidate.id === button.value);
    if (!item) return;
    this.clearErrors();
    if (button.name === "add") {
      const refusal = this.refusal(item);
      if (refusal) {
        this.showError(item, button, refusal);
        this.say(refusal, true);
        return;
      }
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "chosen";
      input.value = item.id;
      this.chosenBox.append(input);
      this.setButton(button, "remove", "Remove", item.title);
      this.update();
      this.say(`Added ${item.title}. ${formatPence(this.amount - this.spent())} left of ${formatPence(this.amount)}`);
    } else {
      for (const input of this.chosenBox.querySelectorAll("input[name=chosen]")) {
        if (input.value === item.id) input.remove();
      }
      this.setButton(button, "add", "Add", item.title);
      this.update();
      this.say(`Removed ${item.title}. ${formatPence(this.amount - this.spent())} left of ${formatPence(this.amount)}`);
    }
    button.focus(); // the same button, now saying what it will do next
  }

  // Why the rule refuses one more proposal (the same checks, in the same order, as BallotRule.check_addition).
  refusal(item) {
    const left = this.amount - this.spent();
    if (item.cost > left) {
      const values = { title: item.title, cost: formatPence(item.cost), left: formatPence(left) };
      return fill(this.messages.overTheMoney, values);
    }
    const most = this.rule.maxProjects;
    if (most && this.chosenIds().length >= most) {
      return fill(this.messages.tooMany, { most });
    }
    return null;
  }

  // The refusal beside the button that caused it, as GOV.UK shows an error by its field.
  showError(item, button, message) {
    const error = document.createElement("p");
    error.className = "govuk-error-message pb-ballot__error";
    error.id = `${button.id}-error`;
    error.dataset.ballotError = "";
    const prefix = document.createElement("span");
    prefix.className = "govuk-visually-hidden";
    prefix.textContent = "Error:";
    error.append(prefix, ` ${message}`);
    button.before(error);
    button.setAttribute("aria-describedby", error.id);
    item.el.classList.add("pb-ballot__item--error");
    // The message pushed the button down: bring both into view, clear of the money-left bar (the page's scroll
    // padding, which scrollIntoView keeps to).
    button.scrollIntoView({ block: "nearest" });
    error.scrollIntoView({ block: "nearest" });
  }

  clearErrors() {
    for (const error of this.form.querySelectorAll("[data-ballot-error]")) error.remove();
    for (const button of this.form.querySelectorAll("[data-ballot-toggle][aria-describedby]")) {
      button.removeAttribute("aria-describedby");
    }
    for (const item of this.items) item.el.classList.remove("pb-ballot__item--error");
  }

  setButton(button, name, verb, title) {
    button.name = name;
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = ` ${title}`;
    button.replaceChildren(document.createTextNode(verb), hidden);
  }

  update() {
    const chosen = new Set(this.chosenIds());
    const spent = this.spent();
    this.setText("[data-ballot-left]", formatPence(this.amount - spent));
    this.setText("[data-ballot-used]", formatPence(spent));
    this.form.querySelector("[data-ballot-bar]").classList.toggle("pb-ballot__bar--over", spent > this.amount);
    const meter = this.form.querySelector("[data-ballot-meter]");
    meter.value = Math.min(spent, this.amount);
    meter.textContent = formatPence(spent);
    const picked = this.items.filter((item) => chosen.has(item.id));
    this.showChosen(picked.map((item) => `${item.title} (${formatPence(item.cost)})`));
    for (const item of this.items) {
      item.el.classList.toggle("pb-ballot__item--chosen", chosen.has(item.id));
      item.el.querySelector("[data-ballot-on]").hidden = !chosen.has(item.id);
    }
    this.summary.classList.toggle("pb-ballot__summary--over", spent > this.amount);
  }

  // Cumulative -------------------------------------------------------------------------------------------------

  recount(announce) {
    let used = 0;
    let malformed = false;
    const lines = [];
    for (const item of this.items) {
      const input = item.el.querySelector("[data-ballot-points]");
      const raw = input.value.trim();
      const points = /^\d+$/.test(raw) ? Number(raw) : 0;
      if (raw && !/^\d+$/.test(raw)) malformed = true;
      used += points;
      item.el.classList.toggle("pb-ballot__item--chosen", points > 0);
      item.el.querySelector("[data-ballot-on]").hidden = points <= 0;
      if (points > 0) lines.push(`${item.title} (${plural(points, "point")})`);
    }
    const left = this.pointsAllowed - used;
    this.setText("[data-ballot-left]", String(left));
    this.setText("[data-ballot-used]", String(used));
    this.setText("[data-ballot-unit]", Math.abs(left) === 1 ? "point" : "points");
    const meter = this.form.querySelector("[data-ballot-meter]");
    meter.value = Math.min(used, this.pointsAllowed);
    meter.textContent = `${used} of ${this.pointsAllowed}`;
    this.showChosen(lines);
    this.summary.classList.toggle("pb-ballot__summary--over", left < 0);
    this.form.querySelector("[data-ballot-bar]").classList.toggle("pb-ballot__bar--over", left < 0);
    if (malformed) {
      this.say(this.messages.pointsNotWhole, true);
    } else if (left < 0) {
      this.say(fill(this.messages.pointsOver, { used, over: -left, allowed: this.pointsAllowed }), true);
    } else if (announce || this.lastLeft !== left) {
      this.say(`${plural(left, "point")} left of ${this.pointsAllowed}`);
    }
    this.lastLeft = left;
  }

  // Both -------------------------------------------------------------------------------------------------------

  showChosen(lines) {
    const list = this.form.querySelector("[data-ballot-list]");
    list.replaceChildren(...lines.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }));
    this.setText("[data-ballot-count]", `${plural(lines.length, "proposal")} chosen`);
  }

  // Every element the selector finds ("Your ballot" and the money-left bar show the same figures).
  setText(selector, text) {
    for (const el of this.form.querySelectorAll(selector)) el.textContent = text;
  }

}

if (form) {
  const kind = JSON.parse(form.querySelector("[data-ballot-rule]").textContent).kind;
  const Kind = { ordinal: RankedBallot, choose_one: ChooseOneBallot }[kind] || Ballot;
  new Kind(form).start();
}
