// Enhancement only: the counting page works without this file (its "Refresh this page" link). While the votes are
// being counted, ask results/count.json every two seconds; say a new step in the page's live region, and once
// the count has finished (stored or failed) say so and turn the link into the way to the result. The page is not
// reloaded by itself: the reader chooses when to move on.
const box = document.querySelector("[data-count-status-url]");

if (box) {
  const url = box.dataset.countStatusUrl;
  const status = document.getElementById("count-status");
  const steps = document.getElementById("count-steps");
  const elapsed = document.getElementById("count-elapsed");
  const link = document.getElementById("count-refresh");
  const every = 2000;

  const finish = (data) => {
    status.textContent = data.state === "done"
      ? "The votes have been counted."
      : `${data.message} Refresh this page to see more.`;
    if (steps && data.state === "done") steps.value = steps.max;
    elapsed.textContent = "";
    link.textContent = data.state === "done" ? "See the results" : "Refresh this page";
  };

  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) {
        const data = await response.json();
        if (data.finished) {
          finish(data);
          return;
        }
        if (status.textContent !== data.message) status.textContent = data.message;
        if (steps) steps.value = data.step;
        elapsed.textContent = data.elapsed;
      }
    } catch {
      // The network failed this once: the link still works, and the next poll tries again.
    }
    window.setTimeout(poll, every);
  };

  window.setTimeout(poll, every);
}
