/** Moves an element to <body>, out of any transformed or clipping ancestor (for menus). */
export function portal(node: HTMLElement): { destroy: () => void } {
  document.body.appendChild(node);
  return {
    destroy() {
      node.remove();
    },
  };
}
