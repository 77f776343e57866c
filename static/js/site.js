// Pages work without this file; it only adds govuk-frontend's behaviour (menu toggle,
// focus on the error summary, character counts, ...). A module, so browsers too old for
// the components skip it and keep the plain pages.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
