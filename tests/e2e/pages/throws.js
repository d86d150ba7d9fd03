// An unhandled rejection and an uncaught error, after which the page says it is done.
Promise.reject(new Error('rejected on purpose'));
setTimeout(() => {
  document.getElementById('result').textContent = 'done';
  throw new Error('thrown on purpose');
}, 0);
