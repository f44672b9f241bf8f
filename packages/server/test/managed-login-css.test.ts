import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cssColor, cssRadius, managedLoginCss } from '../src/hosted-ui/managed-branding.ts';

// The CSS generated from a managed login style's Settings: only checked
// values (hex colours, numeric radii, known keywords) ever reach it.

describe('managed login CSS from Settings', () => {
  it('maps the documented keys to the pages’ elements, colours as #rrggbbaa', () => {
    const css = managedLoginCss({
      settings: {
        categories: { global: { colorSchemeMode: 'LIGHT' } },
        components: {
          primaryButton: { lightMode: { defaults: { backgroundColor: '5B21B6ff', textColor: 'ffffff' } } },
          pageBackground: { lightMode: { color: 'f3e8ffff' } },
          form: { borderRadius: 12, lightMode: { backgroundColor: 'ffffffff', borderColor: 'c6c6cdff' } },
        },
        componentClasses: { link: { lightMode: { defaults: { textColor: '0972d3ff' } } } },
      },
    });
    assert.match(css, /\.submitButton-customizable\{background-color:#5b21b6ff;color:#ffffff\}/);
    assert.match(css, /body\.background-customizable\{background-color:#f3e8ffff\}/);
    assert.match(css, /\.card\{border-radius:12px\}/);
    assert.match(css, /\.card\{background-color:#ffffffff;border:1px solid #c6c6cdff\}/);
    assert.match(css, /(^|\n)a\{color:#0972d3ff\}/);
    assert.doesNotMatch(css, /prefers-color-scheme/);
  });

  it('never lets an invalid or hostile value into the CSS', () => {
    const hostile = [
      'red',
      '#5b21b6',
      '5b21b6;}body{background:url(//evil)}',
      '5b21b6ff}',
      '5b21b',
      '5b21b6f',
      'expression(alert(1))',
      '</style><script>alert(1)</script>',
      '5b21b6ff\n',
      42,
      null,
      ['5b21b6'],
      { r: 1 },
    ];
    for (const value of hostile) {
      const css = managedLoginCss({
        settings: {
          categories: { global: { colorSchemeMode: 'DYNAMIC;}*{x:y' } },
          components: {
            primaryButton: { lightMode: { defaults: { backgroundColor: value } } },
            form: { borderRadius: typeof value === 'string' ? value : '8px;}*{x:y' },
          },
          componentClasses: { buttons: { borderRadius: Number.POSITIVE_INFINITY }, input: { borderRadius: -4 } },
        },
        background: { light: 'x");}*{background:url(//evil', dark: '//evil.example/bg.png' },
      });
      assert.equal(css, '/* managed login branding (generated) */\n:root{color-scheme:light}\n', `${JSON.stringify(value)} → ${css}`);
    }
    assert.equal(cssColor('0972D3'), '#0972d3');
    assert.equal(cssColor('0972d3;'), null);
    assert.equal(cssRadius(8), '8px');
    assert.equal(cssRadius('8'), null);
    assert.equal(cssRadius(1e9), null);
  });

  it('adds dark mode under prefers-color-scheme for DYNAMIC, uses it alone for DARK, and nothing for no settings', () => {
    const settings = (mode: string) => ({
      categories: { global: { colorSchemeMode: mode } },
      components: { pageBackground: { lightMode: { color: 'ffffffff' }, darkMode: { color: '0f1b2aff' } } },
    });
    const dynamic = managedLoginCss({ settings: settings('DYNAMIC') });
    assert.match(
      dynamic,
      /body\.background-customizable\{background-color:#ffffffff\}\n@media \(prefers-color-scheme: dark\)\{\nbody\.background-customizable\{background-color:#0f1b2aff\}\n\}/,
    );
    const dark = managedLoginCss({ settings: settings('DARK') });
    assert.match(dark, /body\.background-customizable\{background-color:#0f1b2aff\}/);
    assert.doesNotMatch(dark, /#ffffffff|prefers-color-scheme/);
    assert.equal(managedLoginCss({ settings: null }), '');
  });
});
