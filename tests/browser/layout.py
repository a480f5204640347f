"""Measuring a page's layout in the browser: does it scroll sideways, and if so, why."""

# The element sticking out furthest to the right that nothing clips: a scroll container
# (.table-wrap) clips what is inside it, except an absolutely positioned element whose
# containing block lies outside it (the escaped visually-hidden text of issue 11).
_WIDEST = """() => {
  const width = window.innerWidth;
  const clipped = (element) => {
    let position = getComputedStyle(element).position;
    if (position === 'fixed') return true;
    for (let p = element.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (position === 'absolute' && style.position === 'static') continue;
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  let widest = null, right = 0;
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 0.5 && box.right >= right && !clipped(element)) {
      widest = element; right = box.right;
    }
  }
  if (!widest) return 'no single element found';
  const path = [];
  for (let e = widest; e && e !== document.body; e = e.parentElement) {
    let step = e.tagName.toLowerCase();
    if (e.id) step += '#' + e.id;
    else if (e.classList.length) step += '.' + [...e.classList].join('.');
    path.unshift(step);
  }
  const text = (widest.textContent || '').trim().slice(0, 40);
  return `${path.join(' > ')} reaches ${Math.round(right)} px` + (text ? ` ("${text}")` : '');
}"""


def sideways_scroll(page) -> str | None:
    """None when the page fits its window's width; otherwise what sticks out, readable."""
    scroll, window = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll <= window:
        return None
    return f"{page.url} scrolls sideways to {scroll} px at {window} px: {page.evaluate(_WIDEST)}"
