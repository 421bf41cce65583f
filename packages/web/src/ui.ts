/** Small DOM helpers: find elements by id, show and clear readable errors. */

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

/** Shows `message` in an error region (role=alert announces it); an empty message hides it. */
export function showError(el: HTMLElement, message: string | undefined): void {
  el.textContent = message ?? "";
  el.hidden = message === undefined || message === "";
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
