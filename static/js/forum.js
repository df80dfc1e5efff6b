// Enhancement only: every page works without this file. It starts GOV.UK Frontend's components.
import { initAll } from "/assets/govuk-frontend.min.js";

initAll();
