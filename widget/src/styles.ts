/**
 * All widget CSS. It lives inside the shadow root, so host-page selectors can't reach our
 * elements and ours can't leak out. The one thing the host can still touch is inherited
 * properties on the host element (e.g. `* { font-size: 30px !important }`), hence the
 * `all: initial !important` on :host — inside-the-shadow !important beats the page's.
 * --c / --fg (brand colour and its contrasting text colour) are set on .root at runtime.
 */
export const CSS = `
:host{all:initial!important;display:block!important}
*,*::before,*::after{box-sizing:border-box;margin:0;padding:0;border:0;font:inherit;color:inherit;background:none;text-transform:none;letter-spacing:normal}
[hidden]{display:none!important}
.root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#0f172a;-webkit-font-smoothing:antialiased}
button{cursor:pointer;text-align:center}
a{color:inherit;text-decoration:underline}
:focus-visible{outline:3px solid #1e3a8a;outline-offset:2px}
.sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;background:var(--c);color:var(--fg);display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(15,23,42,.28);transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.launcher svg{width:28px;height:28px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font-size:12px;font-weight:700;line-height:22px;border:2px solid #fff}
.panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:380px;height:min(620px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 12px 48px rgba(15,23,42,.3)}
.head{display:flex;align-items:center;gap:10px;padding:14px 12px 14px 18px;background:var(--c);color:var(--fg)}
.head :focus-visible{outline-color:currentColor}
.avatar{flex:none;width:34px;height:34px;border-radius:50%;background:rgba(255,255,255,.22);display:flex;align-items:center;justify-content:center;font-weight:700}
.title{flex:1;font-size:16px;font-weight:600;line-height:1.25;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.sub{display:block;font-size:12px;font-weight:400;opacity:.85}
.close{flex:none;width:36px;height:36px;border-radius:8px;display:flex;align-items:center;justify-content:center}
.close:hover{background:rgba(0,0,0,.12)}
.close svg{width:20px;height:20px}
.disc{padding:8px 18px;font-size:12px;color:#475569;background:#f8fafc;border-bottom:1px solid #e2e8f0}
.error{display:flex;align-items:center;gap:10px;padding:10px 18px;font-size:13px;color:#7f1d1d;background:#fef2f2;border-bottom:1px solid #fecaca}
.error span{flex:1}
.error button{flex:none;padding:4px 12px;border-radius:6px;border:1px solid #b91c1c;color:#b91c1c;background:#fff;font-weight:600}
.body{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:10px;background:#fff;overscroll-behavior:contain}
.log{display:flex;flex-direction:column;gap:10px}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:85%}
.msg[data-direction=inbound]{align-self:flex-end;align-items:flex-end}
.bubble{padding:9px 13px;border-radius:16px 16px 16px 4px;background:#f1f5f9;white-space:pre-wrap;overflow-wrap:anywhere}
.msg[data-direction=inbound] .bubble{background:var(--c);color:var(--fg);border-radius:16px 16px 4px 16px}
.msg[data-status=sending] .bubble{opacity:.7}
.msg[data-status=failed] .bubble{background:#fee2e2;color:#7f1d1d}
.meta{margin-top:3px;font-size:11px;color:#64748b;display:flex;gap:6px}
.meta .retry{color:#b91c1c;font-weight:600;text-decoration:underline}
.typing{display:flex;gap:4px;align-self:flex-start;padding:12px 14px;border-radius:16px 16px 16px 4px;background:#f1f5f9}
.typing i{width:7px;height:7px;border-radius:50%;background:#64748b;animation:ll-bounce 1.2s infinite ease-in-out}
.typing i:nth-child(3){animation-delay:.15s}
.typing i:nth-child(4){animation-delay:.3s}
@keyframes ll-bounce{0%,60%,100%{transform:translateY(0);opacity:.5}30%{transform:translateY(-4px);opacity:1}}
.compose{display:flex;gap:8px;padding:10px 12px;border-top:1px solid #e2e8f0;background:#fff}
.input{flex:1;min-width:0;height:42px;padding:0 14px;border:1px solid #cbd5e1;border-radius:21px;background:#fff;font-size:15px}
.input:focus{border-color:var(--c)}
.input:focus-visible{outline-width:2px;outline-offset:1px}
.input:disabled{background:#f1f5f9}
.send{flex:none;width:42px;height:42px;border-radius:50%;background:var(--c);color:var(--fg);display:flex;align-items:center;justify-content:center}
.send:disabled{opacity:.5;cursor:default}
.send svg{width:20px;height:20px}
@media (max-width:480px){
.panel{inset:0;width:100%;height:100%;border-radius:0}
.launcher{right:16px;bottom:16px}
.input{font-size:16px}
}
@media (prefers-reduced-motion:reduce){.typing i{animation:none;opacity:.8}.launcher{transition:none}}
`;
