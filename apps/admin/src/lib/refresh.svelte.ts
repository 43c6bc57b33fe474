import { invalidate } from '$app/navigation';

/** A page's Refresh (and Try again): re-runs the loads that depend on one key, and says while it runs. */
export class Refresh {
  running = $state(false);
  readonly #dependency: string;

  /** `dependency`: the load's `depends()` key, so only that query runs again. */
  constructor(dependency: string) {
    this.#dependency = dependency;
  }

  run = async (): Promise<void> => {
    this.running = true;
    try {
      await invalidate(this.#dependency);
    } finally {
      this.running = false;
    }
  };
}
