/**
 * A text field the core reads (a date, a deadline): the text is checked
 * 350 ms after typing stops, or at once on `check`; a reply to an older text
 * than the latest is dropped, so a slow answer never overwrites a newer one.
 */
import { describeError, type ShownError } from './errors';
import { locale } from './locale.svelte';

const PAUSE_MS = 350;

export class CoreChecked<T> {
  /** Why the text is not accepted, in the interface language. */
  error: ShownError | null = $state(null);
  /** A check is under way. */
  pending = $state(false);
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `read` asks the core what the text means (it throws the core's error);
   * `accept` stores the answer in the field's value.
   */
  constructor(
    private read: (typed: string) => Promise<T>,
    private accept: (value: T) => void,
  ) {}

  /** Checks `typed` now; resolves to whether the field holds a valid value. */
  async check(typed: string): Promise<boolean> {
    clearTimeout(this.#timer);
    const mine = ++this.#seq;
    this.pending = true;
    try {
      const value = await this.read(typed);
      if (mine !== this.#seq) return true;
      this.accept(value);
      this.error = null;
      return true;
    } catch (e) {
      if (mine !== this.#seq) return false;
      this.error = describeError(e, locale.lang);
      return false;
    } finally {
      if (mine === this.#seq) this.pending = false;
    }
  }

  /** Checks the text once typing pauses. */
  later(typed: () => string): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.check(typed()), PAUSE_MS);
  }

  /** Takes a value chosen otherwise (the date picker); a check under way is dropped. */
  settle(value: T): void {
    clearTimeout(this.#timer);
    this.#seq++;
    this.accept(value);
    this.error = null;
    this.pending = false;
  }
}
