export type ToastKind = 'success' | 'error' | 'info';

export interface ToastItem {
  id: number;
  kind: ToastKind;
  message: string;
}

/** Older toasts are dropped beyond this, so a burst of errors cannot cover the page. */
export const MAX_TOASTS = 4;

/** Errors stay longer: a person needs time to read what went wrong. */
export const TOAST_DURATION_MS: Record<ToastKind, number> = { success: 4000, info: 4000, error: 8000 };

class ToastStore {
  items = $state<ToastItem[]>([]);
  #nextId = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  /** Shows a message; returns its id (0 on the server, where toasts are never shown). */
  show = (kind: ToastKind, message: string, durationMs = TOAST_DURATION_MS[kind]): number => {
    if (typeof window === 'undefined') return 0;
    const id = this.#nextId++;
    this.items = [...this.items, { id, kind, message }];
    while (this.items.length > MAX_TOASTS) {
      const oldest = this.items[0];
      if (oldest) this.dismiss(oldest.id);
    }
    if (durationMs > 0)
      this.#timers.set(
        id,
        setTimeout(() => this.dismiss(id), durationMs),
      );
    return id;
  };

  success = (message: string): number => this.show('success', message);
  error = (message: string): number => this.show('error', message);
  info = (message: string): number => this.show('info', message);

  dismiss = (id: number): void => {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.items = this.items.filter((item) => item.id !== id);
  };

  clear = (): void => {
    for (const item of this.items) this.dismiss(item.id);
  };
}

/** The app-wide toast queue. Render it once with <Toasts /> near the root layout. */
export const toast = new ToastStore();
