// The tablet layout's measurements (tests/browser/tablet.py: layout_problems), taken in the
// page: every number is a CSS pixel the browser laid out, not a judgement of a screenshot.
() => {
  const problems = [];
  const name = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder')
      || el.id || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} «${text}»`;
  };
  const shown = (el) => {
    if (el.closest('dialog:not([open])')) return false;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
  };
  const labelOf = (el) => el.closest('label') || (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`));
  const round = (v) => Math.round(v * 10) / 10;
  // 1. Every interactive element is a target of at least 44 × 44 CSS px. A checkbox, a
  //    radio or a visually hidden file input is hit through its label, so the label counts.
  const targets = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"]), .drag-handle');
  let counted = 0;
  for (const el of targets) {
    if (!shown(el)) continue;
    let box = el.getBoundingClientRect();
    const viaLabel = el.matches('input[type=checkbox], input[type=radio]') || el.classList.contains('visually-hidden');
    if (viaLabel) {
      const label = labelOf(el);
      if (!label || !shown(label)) { problems.push(`no visible label: ${name(el)}`); continue; }
      box = label.getBoundingClientRect();
    }
    counted += 1;
    if (box.width < 43.99 || box.height < 43.99) {
      problems.push(`target ${round(box.width)}×${round(box.height)} px: ${name(el)}`);
    }
  }
  // 2. Nothing sticks out of its card, column, dialog or bar.
  for (const card of document.querySelectorAll('.note, .photo, .agreement, .column, dialog[open], .undo-bar, .card')) {
    if (!shown(card)) continue;
    const c = card.getBoundingClientRect();
    for (const el of card.querySelectorAll('button, a, input:not(.visually-hidden), select, textarea, .button-like, .drag-handle, img, p')) {
      if (!shown(el)) continue;
      const own = el.closest('dialog');  // a dialog is laid out on top, not in the card it sits in
      if (own && own !== card && !own.contains(card)) continue;
      const r = el.getBoundingClientRect();
      if (r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5) {
        problems.push(`${name(el)} sticks out of ${name(card)} (${round(r.left)}–${round(r.right)} in ${round(c.left)}–${round(c.right)})`);
      }
    }
  }
  // 3. The page never scrolls sideways.
  if (document.documentElement.scrollWidth > innerWidth + 0.5) {
    problems.push(`page is ${document.documentElement.scrollWidth} px wide in a ${innerWidth} px window`);
  }
  // 4. A placeholder is shown whole: laid out again in a copy with the field's font, padding
  //    and width, it fits (one line in an input; wrapped lines in a textarea).
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (!shown(el) || el.value) continue;
    const cs = getComputedStyle(el);
    const copy = document.createElement('div');
    for (const p of ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'letterSpacing', 'wordSpacing',
      'lineHeight', 'paddingLeft', 'paddingRight', 'paddingTop', 'paddingBottom', 'borderLeftWidth',
      'borderRightWidth', 'borderTopWidth', 'borderBottomWidth', 'boxSizing', 'textIndent']) copy.style[p] = cs[p];
    Object.assign(copy.style, { position: 'absolute', visibility: 'hidden', borderStyle: 'solid', left: '0', top: '0' });
    const area = el.tagName === 'TEXTAREA';
    copy.style.whiteSpace = area ? 'pre-wrap' : 'pre';
    copy.style.width = area ? `${el.offsetWidth}px` : 'auto';
    copy.textContent = el.placeholder;
    document.body.append(copy);
    const fits = area ? copy.offsetHeight <= el.offsetHeight + 0.5 && copy.scrollWidth <= copy.clientWidth + 0.5
      : copy.offsetWidth <= el.offsetWidth + 0.5;
    if (!fits) problems.push(`placeholder cut: ${name(el)} needs ${copy.offsetWidth}×${copy.offsetHeight}, has ${el.offsetWidth}×${el.offsetHeight}`);
    copy.remove();
  }
  return { problems, counted };
}
