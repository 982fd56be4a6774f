/** Toasts: short messages, announced through an aria-live region, some with an action (Undo). */
export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
  detail?: string | null;
  action?: { label: string; run: () => void | Promise<void> };
  /** Work under way (e.g. "Preparing the PDF…"): a spinner instead of the check mark. */
  busy?: boolean;
  timeout: number;
}

export const toasts = $state<{ list: Toast[] }>({ list: [] });

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export function dismiss(id: number): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
  toasts.list = toasts.list.filter((t) => t.id !== id);
}

function arm(id: number, ms: number) {
  if (ms <= 0) return;
  timers.set(
    id,
    setTimeout(() => dismiss(id), ms),
  );
}

export function showToast(t: Omit<Toast, 'id' | 'timeout'> & { timeout?: number }): number {
  const id = nextId++;
  const timeout = t.timeout ?? (t.action ? 10_000 : t.kind === 'error' ? 9_000 : 5_000);
  toasts.list = [...toasts.list.slice(-3), { ...t, id, timeout }];
  arm(id, timeout);
  return id;
}

/** Holds a toast open while the pointer or focus is on it. */
export function pause(id: number): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
}

export function resume(id: number): void {
  const t = toasts.list.find((x) => x.id === id);
  // A toast without a timeout (work under way) stays until it is dismissed.
  if (t && t.timeout > 0 && !timers.has(id)) arm(id, 4_000);
}

/** The last undo a toast offered, for Ctrl+Z. */
let lastUndo: { toast: number; run: () => void | Promise<void> } | null = null;

export function showUndo(text: string, undoLabel: string, run: () => void | Promise<void>, detail: string | null = null): number {
  const id = showToast({
    kind: 'success',
    text,
    detail,
    action: {
      label: undoLabel,
      run: async () => {
        dismiss(id);
        lastUndo = null;
        await run();
      },
    },
  });
  lastUndo = { toast: id, run };
  return id;
}

export async function undoLast(): Promise<boolean> {
  if (!lastUndo || !toasts.list.some((t) => t.id === lastUndo!.toast)) return false;
  const { toast, run } = lastUndo;
  lastUndo = null;
  dismiss(toast);
  await run();
  return true;
}
