// Small DOM helpers shared by the demo's panels.
export const $ = (id) => document.getElementById(id);

/** Text made safe to put inside HTML (entity text and KB strings come from models and data). */
export const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
