// Records the page's uncaught errors and unhandled rejections in window.attnkitPageErrors, before any other
// script runs. The e2e tests read it in every engine (WebKit's WebDriver reports no page errors of its own).
window.attnkitPageErrors = [];
window.addEventListener('error', (event) => window.attnkitPageErrors.push(event.message || String(event.error)));
window.addEventListener('unhandledrejection', (event) => window.attnkitPageErrors.push(`unhandled rejection: ${event.reason}`));
