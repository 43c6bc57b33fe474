import { afterNavigate } from '$app/navigation';

/**
 * A header dropdown's open state (the account menu, the notifications): it closes on navigation, on a click
 * outside its `root`, and on Escape, which gives focus back to the button that opened it. Create it while a
 * component initialises (it registers `afterNavigate`); bind `root`, and hand `onwindowclick` to
 * `<svelte:window>` and `onkeydown` to the root.
 */
export class Dropdown {
  open = $state(false);
  root: HTMLElement | undefined = $state();
  readonly #buttonSelector: string;

  constructor(buttonSelector: string) {
    this.#buttonSelector = buttonSelector;
    afterNavigate(() => (this.open = false));
  }

  onwindowclick = (event: MouseEvent) => {
    if (this.open && this.root && event.target instanceof Node && !this.root.contains(event.target)) {
      this.open = false;
    }
  };

  onkeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !this.open) return;
    this.open = false;
    this.root?.querySelector<HTMLButtonElement>(this.#buttonSelector)?.focus();
  };
}
