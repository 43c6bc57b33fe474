import { readApiError } from '@app/api/client';
import { tick } from 'svelte';

/**
 * State of one form that submits to the API: busy flag, field errors under the controls,
 * and a message for everything else.
 */
export class FormState<Field extends string> {
  /** False until the page is interactive; submit buttons stay disabled so nothing is sent as a plain GET form. */
  ready = $state(false);
  submitting = $state(false);
  fieldErrors = $state<Partial<Record<Field, string>>>({});
  message = $state<string | null>(null);
  readonly #fields: readonly Field[];

  /** Create it while a component initialises (in its <script>), so it can tell when the page is hydrated. */
  constructor(fields: readonly Field[]) {
    this.#fields = fields;
    $effect(() => {
      this.ready = true;
    });
  }

  /**
   * Runs `action` with the busy flag set and the old errors cleared. A failure fills field errors for the
   * form's own fields and the message otherwise (or for fields the form does not show). Returns whether it worked.
   */
  async run(action: () => Promise<unknown>): Promise<boolean> {
    this.submitting = true;
    this.fieldErrors = {};
    this.message = null;
    try {
      await action();
      return true;
    } catch (error) {
      const problem = readApiError(error);
      const fieldErrors: Partial<Record<Field, string>> = {};
      const otherErrors: string[] = [];
      for (const [field, text] of Object.entries(problem.fieldErrors)) {
        if ((this.#fields as readonly string[]).includes(field)) fieldErrors[field as Field] = text;
        else otherErrors.push(text);
      }
      this.fieldErrors = fieldErrors;
      const hasFieldErrors = Object.keys(fieldErrors).length > 0;
      this.message = otherErrors.length > 0 ? otherErrors.join(' ') : hasFieldErrors ? null : problem.message;
      return false;
    } finally {
      this.submitting = false;
    }
  }
}

/** Moves focus to the first control marked invalid, so keyboard and screen-reader users land on the problem. */
export async function focusFirstInvalid(form: HTMLFormElement | undefined): Promise<void> {
  await tick();
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
