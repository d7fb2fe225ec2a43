// Shared by the easy-journey cases (issue 25); the leading _ keeps check.mjs
// from loading it as a case.

// The hub serving 港北区 (data/hubs/yokohama.toml), as its name starts.
export const HUB = '都筑区横浜型';

// Text as read with the furigana left out (<rt> removed).
export const base = (loc) => loc.evaluate((el) => {
  const c = el.cloneNode(true);
  c.querySelectorAll('rt, rp').forEach((n) => n.remove());
  return c.textContent.replace(/\s+/g, ' ');
});
