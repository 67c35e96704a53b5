import { html, SafeHtml } from './html.ts';

const style = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6fb;color:#1c2541}
header{background:#1464ff;color:#fff;padding:.8rem 1.5rem;font-weight:600}
header a{color:#fff;text-decoration:none}
main{max-width:56rem;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border-radius:.5rem;padding:1.5rem;box-shadow:0 1px 3px #0002;margin-bottom:1.5rem}
label{display:block;margin:.6rem 0 .2rem}
input[type=text],input[type=password],input[type=search]{width:100%;max-width:22rem;padding:.4rem;font-size:1rem}
button,.button{background:#1464ff;color:#fff;border:0;border-radius:.3rem;padding:.5rem 1rem;font-size:1rem;cursor:pointer;text-decoration:none;display:inline-block}
.error{color:#b00020;font-weight:600}
.tiles{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0}
.tiles li{background:#fff;border-radius:.5rem;padding:1rem;width:12rem;box-shadow:0 1px 3px #0002}
.flag{display:block;font-size:.8rem;color:#8a5a00;margin-top:.4rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #dde}
code{background:#eef;padding:0 .2rem;word-break:break-all}
`;

/** A complete HTML document in the sandbox's look; `title` is escaped, `body` is already-safe markup. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Clever sandbox</title>
<style>${new SafeHtml(style)}</style>
</head>
<body>
<header><a href="/">Clever sandbox</a></header>
<main>
${body}
</main>
</body>
</html>
`.value;
}
