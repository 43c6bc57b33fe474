/** A "Try again" button's action: runs `reload`, and says whether it is running (for the button's spinner). */
export class Retry {
  running = $state(false);
  readonly #reload: () => Promise<void> | undefined;

  constructor(reload: () => Promise<void> | undefined) {
    this.#reload = reload;
  }

  run = async (): Promise<void> => {
    this.running = true;
    try {
      await this.#reload();
    } finally {
      this.running = false;
    }
  };
}
