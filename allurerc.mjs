// Allure 3 report settings for the smoke run (fixtures/report.py passes this file).
// Categories tell a budget overrun (the flow works, too slowly) from a functional failure and
// from an environment problem (the suite could not test: settings, services, the cooldown).
import { defineConfig } from "allure";

export default defineConfig({
  name: "Kulti smoke test",
  categories: [
    { name: "Budget exceeded (flow works, too slow)", matchers: { statuses: ["failed"], message: /budget exceeded/ },
      expand: true },
    { name: "Functional failure", matchers: { statuses: ["failed"] }, expand: true },
    { name: "Environment (could not test)", matchers: { statuses: ["broken"] }, expand: true },
  ],
});
