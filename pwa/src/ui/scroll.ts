import { useEffect } from "preact/hooks";

/**
 * A link from the status bar ends in "#item-<record id>": once that record (or its problem)
 * is on the screen, scroll to it and move the focus there.
 */
export function useScrollToHash(deps: unknown[]) {
  useEffect(() => {
    const go = () => {
      const id = decodeURIComponent(location.hash.replace(/^#item-/, ""));
      if (!id || id === location.hash) return;
      const target = document.getElementById(`item-${id}`) ?? document.querySelector(`[data-record="${CSS.escape(id)}"]`);
      if (target instanceof HTMLElement) {
        target.scrollIntoView({ block: "center" });
        target.tabIndex = -1;
        target.focus({ preventScroll: true });
        history.replaceState(null, "", location.pathname); // once: later renders do not jump
      }
    };
    go();
    window.addEventListener("hashchange", go);
    return () => window.removeEventListener("hashchange", go);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's list says when the target may have appeared; the effect reads only the page
  }, deps);
}
