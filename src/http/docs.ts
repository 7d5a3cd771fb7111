/** A small self-contained API reference page rendered from /api/openapi.json (no CDN, works offline). */
export function docsPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vorder API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2433}header{background:#12355b;color:#fff;padding:16px 32px}
main{max-width:1000px;margin:0 auto;padding:16px 32px}h2{border-bottom:1px solid #dde3ea;padding-bottom:4px;margin-top:32px}
.op{border:1px solid #dde3ea;border-radius:6px;margin:10px 0;padding:10px 14px}.m{display:inline-block;min-width:64px;font-weight:700;text-transform:uppercase}
.get{color:#1b7f3b}.post{color:#1f5fbf}.patch{color:#a4631a}.delete{color:#b3261e}code{background:#f3f5f8;padding:1px 4px;border-radius:3px}
details pre{background:#f7f8fa;padding:8px;overflow:auto;font-size:12px}</style></head>
<body><header><strong>Vorder API</strong> — OpenAPI 3.1: <a style="color:#cfe3ff" href="/api/openapi.json">/api/openapi.json</a></header><main id="m">Loading…</main>
<script>
fetch('/api/openapi.json').then(r=>r.json()).then(doc=>{
  const byTag={};
  for(const [path,ops] of Object.entries(doc.paths)) for(const [method,op] of Object.entries(ops)){
    const t=(op.tags&&op.tags[0])||'Other'; (byTag[t]=byTag[t]||[]).push({path,method,op});
  }
  const esc=s=>String(s).replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
  let h='<p>'+esc(doc.info.description||'')+'</p>';
  for(const [t,list] of Object.entries(byTag)){ h+='<h2>'+esc(t)+'</h2>';
    for(const {path,method,op} of list){ h+='<div class="op"><span class="m '+method+'">'+method+'</span> <code>'+esc(path)+'</code><div>'+esc(op.summary||'')+'</div>'+
      '<details><summary>request and responses</summary><pre>'+esc(JSON.stringify({parameters:op.parameters,requestBody:op.requestBody,responses:op.responses},null,2))+'</pre></details></div>'; } }
  h+='<h2>Schemas</h2><details><summary>components</summary><pre>'+esc(JSON.stringify(doc.components,null,2))+'</pre></details>';
  document.getElementById('m').innerHTML=h;
});
</script></body></html>`;
}
