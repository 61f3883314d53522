/** The privacy notice the widget links to: what we keep, for how long, and how to have it deleted. */
export const privacyNoticeHtml = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Privacy notice — LuxLeads chat</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.6rem}</style></head>
<body><h1>Privacy notice for chats answered by LuxLeads</h1>
<p>The business you are chatting with uses LuxLeads to answer messages on its website, Facebook Messenger and Instagram. Replies may be written by an automated assistant; you can ask for a person at any time.</p>
<h2>What we keep</h2><ul>
<li>Your messages and the replies, so the business can follow up. They are deleted automatically 90 days after the last message.</li>
<li>The contact details you choose to share (name, phone, email) and a short summary of your enquiry, held for the business while its account is active.</li>
<li>On this website the chat stores one random session id in your browser's local storage so your conversation survives a reload. No cookies and no tracking.</li></ul>
<h2>Your rights</h2>
<p>You can ask for a copy of your data, its correction or deletion, or that we stop processing it: write "delete my data" in the chat, or use the request form at <a href="/data-deletion">/data-deletion</a>. We answer within 30 days.</p>
<p>Medical, legal or financial questions are never answered by the assistant; they are passed to the business to review personally. In an emergency, call your local emergency number.</p>
</body></html>`;
