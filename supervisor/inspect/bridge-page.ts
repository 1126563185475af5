/**
 * The `/stately` page: embeds the hosted Stately inspector in an iframe and relays this server's
 * frames into it with `postMessage`, as `@statelyai/inspect/server`'s bridge page does (frames
 * are buffered until the inspector posts `@statelyai.connected`). The token is read from the
 * page's own URL in the browser and removed from the address bar; nothing from the request is
 * written into the HTML. Pure.
 */

/** The bridge page HTML for the hosted inspector at `statelyUrl`, allowing script `nonce`. */
export function bridgePageHtml(statelyUrl: string, nonce: string): string {
  const url = JSON.stringify(statelyUrl);
  const origin = JSON.stringify(new URL(statelyUrl).origin);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>Trading Brain — state charts (Stately inspector)</title>
<style>
  * { margin: 0; padding: 0; }
  html, body { height: 100%; font: 14px system-ui, sans-serif; }
  #status { position: fixed; right: 8px; bottom: 8px; padding: 2px 8px; background: #222; color: #eee; border-radius: 4px; opacity: .8; }
  iframe { width: 100%; height: 100%; border: none; }
</style>
</head>
<body>
<iframe id="inspector" referrerpolicy="no-referrer" title="Stately inspector"></iframe>
<div id="status">connecting…</div>
<script nonce="${nonce}">
  (function () {
    var STATELY_URL = ${url};
    var STATELY_ORIGIN = ${origin};
    var MAX_BUFFER = 5000;
    var params = new URLSearchParams(location.search);
    var token = params.get('token');
    if (token !== null) history.replaceState(null, '', location.pathname);
    var iframe = document.getElementById('inspector');
    var status = document.getElementById('status');
    var buffer = [];
    var connected = false;
    window.addEventListener('message', function (e) {
      if (e.origin !== STATELY_ORIGIN || !e.data || e.data.type !== '@statelyai.connected') return;
      connected = true;
      buffer.forEach(function (frame) { iframe.contentWindow.postMessage(frame, STATELY_ORIGIN); });
      buffer = [];
    });
    iframe.src = STATELY_URL;
    var wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/' +
      (token !== null ? '?token=' + encodeURIComponent(token) : '');
    var ws = new WebSocket(wsUrl);
    ws.onopen = function () { status.textContent = 'live'; };
    ws.onclose = function (e) { status.textContent = 'disconnected (' + e.code + ')'; };
    ws.onmessage = function (e) {
      var frame;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      if (connected) { iframe.contentWindow.postMessage(frame, STATELY_ORIGIN); return; }
      buffer.push(frame);
      if (buffer.length > MAX_BUFFER) buffer.shift();
    };
  })();
</script>
</body>
</html>
`;
}
