/**
 * A loader for a screen's data: runs `load` now and whenever the app's data
 * version moves (a change elsewhere, an undo), keeping the last data on
 * screen while it reloads.
 */
import { app } from './app.svelte';

export function loader<T>(load: () => Promise<T>) {
  // Raw: loaded data is replaced whole, never mutated, so it needs no deep
  // proxy (which would make every read of 5,000 clause rows slow).
  let data = $state.raw<T | null>(null);
  const state = $state<{ error: unknown; loading: boolean }>({ error: null, loading: true });
  let seq = 0;

  async function reload(): Promise<void> {
    const mine = ++seq;
    state.loading = true;
    try {
      const loaded = await load();
      if (mine !== seq) return;
      data = loaded;
      state.error = null;
    } catch (e) {
      if (mine !== seq) return;
      state.error = e;
    } finally {
      if (mine === seq) state.loading = false;
    }
  }

  $effect(() => {
    void app.version;
    reload();
  });

  return {
    get data() {
      return data;
    },
    get error() {
      return state.error;
    },
    get loading() {
      return state.loading;
    },
    reload,
    /** Puts data in place now; a reload still under way is dropped. */
    set(next: T) {
      seq += 1;
      state.loading = false;
      data = next;
    },
  };
}
