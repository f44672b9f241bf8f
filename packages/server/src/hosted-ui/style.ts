// The pages' one stylesheet, served at /hosted-ui/style.css: plain, legible,
// WCAG AA contrast, no web fonts or images to fetch.
export const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f2f3f3;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#16191f}
.card{width:100%;max-width:24rem;margin:1rem;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{margin:0 0 1.5rem;font-size:1.5rem}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input[type=text],input[type=password],input[type=email],input[type=tel]{width:100%;padding:.6rem .75rem;font:inherit;border:1px solid #687078;border-radius:4px}
input:focus,button:focus{outline:3px solid #0972d3;outline-offset:1px}
fieldset{border:0;margin:1rem 0 0;padding:0}
legend{font-weight:600}
.choice{display:flex;gap:.5rem;align-items:center;margin:.5rem 0}
button{width:100%;margin-top:1.5rem;padding:.7rem;font:inherit;font-weight:700;color:#fff;background:#0654a8;border:0;border-radius:4px;cursor:pointer}
button:hover{background:#033160}
.problem{margin:0 0 1rem;padding:.6rem .75rem;color:#8a1414;background:#fdf0f0;border-left:4px solid #d13212}
.note{color:#414750}
.logo{display:block;max-width:100%;max-height:6rem;margin:0 auto 1rem}
input[type=email],input[type=tel],input[type=url],input[type=date]{width:100%;padding:.6rem .75rem;font:inherit;border:1px solid #687078;border-radius:4px}
.hint{margin:0 0 .25rem;font-size:.875rem;color:#414750}
.rules{margin:0 0 .5rem;font-size:.875rem;color:#414750}
.rules p{margin:0}
.rules ul{margin:.25rem 0 0;padding-left:1.25rem}
.success{margin:0 0 1rem;padding:.6rem .75rem;color:#0b4f1c;background:#eff8f1;border-left:4px solid #1d8102}
.links{margin:1rem 0 0;text-align:center}
a{color:#0654a8}
a:hover{color:#033160}
.secondary{margin-top:1.5rem;padding-top:1rem;border-top:1px solid #e9ebed}
.secondary button{color:#0654a8;background:#fff;border:2px solid #0654a8;margin-top:.5rem}
.secondary button:hover{color:#fff;background:#033160}
.secondary .note{margin:0}
.qr{display:block;margin:1rem auto;image-rendering:pixelated}
.secret{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1rem;letter-spacing:.05em;word-break:normal;overflow-wrap:anywhere;padding:.5rem .75rem;background:#f2f3f3;border-radius:4px}
`;
