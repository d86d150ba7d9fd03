// A <progress> bar and status line fed by a model's download progress.
export function showProgress(bar, status, what) {
  return (loaded, total) => {
    bar.hidden = loaded >= total && total > 0;
    if (total > 0) bar.value = loaded / total;
    status.textContent = `Loading the ${what}: ${(loaded / 2 ** 20).toFixed(1)} of ${(total / 2 ** 20).toFixed(1)} MiB…`;
  };
}
