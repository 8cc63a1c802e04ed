"""Lay out an HTML page in headless Chromium as it prints on A4, and measure it.

`measure(page, chromium, work)` copies the page, adds a script that turns the page's `@media
print` rules on and gives the body the A4 text width (210 mm minus the 15 mm side margins of the
`@page` rule of the shipped templates), then lets Chromium run it (`--dump-dom`) and returns what
the script found:

- `overflow`: every element whose box reaches beyond the text width, or whose content is wider
  than its own box (a table cut off in a scrolling wrapper), as `tag.class#id: width mm`;
- `charts`: for every chart, its value-axis tick labels;
- `width_mm`: the text width used.

The page itself is not changed and holds no script; only the measured copy does.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

#: The text width of an A4 page with the templates' 15 mm side margins.
TEXT_WIDTH_MM = 210 - 2 * 15

SCRIPT = """
<script>
(function () {
  for (const sheet of Array.from(document.styleSheets)) {
    let rules;
    try { rules = Array.from(sheet.cssRules); } catch (e) { continue; }
    for (const rule of rules) {
      if (rule.media && Array.from(rule.media).includes('print')) {
        for (const inner of Array.from(rule.cssRules)) { sheet.insertRule(inner.cssText, sheet.cssRules.length); }
      }
    }
  }
  const mm = 96 / 25.4;
  document.documentElement.style.background = 'none';
  document.body.style.cssText += ';margin:0;padding:0;width:%(width)smm;font-size:10pt;background:none';
  const limit = document.body.getBoundingClientRect();
  const found = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    if (el.tagName === 'SCRIPT' || el.closest('svg') && el.tagName !== 'svg') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const style = getComputedStyle(el);
    const clipped = style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1;
    if (box.right > limit.right + 0.5 || box.left < limit.left - 0.5 || clipped) {
      const name = el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined ? '.' + String(el.className).trim().replace(/\\s+/g, '.') : '') + (el.id ? '#' + el.id : '');
      found.push(name + ': ' + (Math.max(box.right, limit.left + el.scrollWidth) - limit.left) / mm + ' mm');
    }
  }
  const charts = Array.from(document.querySelectorAll('svg')).map(svg => Array.from(svg.querySelectorAll('.value-tick')).map(t => t.textContent));
  const out = document.createElement('pre');
  out.id = 'a4-measure';
  out.textContent = JSON.stringify({overflow: found, charts: charts, width_mm: limit.width / mm});
  document.body.appendChild(out);
})();
</script>
"""


def measure(page: Path, chromium: str, work: Path) -> dict:
    """What the A4 layout of `page` gives (see the module docstring)."""
    text = page.read_text(encoding="utf-8")
    copy = work / f"a4-{page.stem}.html"
    copy.write_text(text.replace("</body>", SCRIPT % {"width": TEXT_WIDTH_MM} + "</body>"), encoding="utf-8")
    run = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={work / 'chromium-a4'}",
                          "--virtual-time-budget=5000", "--dump-dom", copy.as_uri()], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r'<pre id="a4-measure">(.*?)</pre>', run.stdout, re.S)
    assert found, run.stdout[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
