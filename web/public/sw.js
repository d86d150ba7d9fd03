// Offline support for the demo page: network first, the last good copy when offline. Model files are not
// stored here: attnkit keeps them in its own Cache API store ('attnkit-models') and reads that first.
const CACHE = 'attnkit-demo-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The page names resources it needs offline that may not have come through here (a worker's own script).
self.addEventListener('message', (event) => {
  const urls = (event.data?.keep ?? []).filter((url) => new URL(url).origin === self.location.origin);
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((url) =>
    fetch(url).then((response) => (response.ok ? cache.put(url, response) : undefined)).catch(() => {})))));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.includes('/models/')) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(event.request);
      if (response.ok) await cache.put(event.request, response.clone());
      return response;
    } catch (error) {
      const cached = await cache.match(event.request, { ignoreVary: true });
      if (cached) return cached;
      throw error;
    }
  })());
});
