// The team page's print button (no inline script: CSP). Printing uses print.css and team.css.
document.getElementById("print")?.addEventListener("click", () => window.print());
