/**
 * /privacy: the company's privacy policy (privacy-policy.md beside this file) with every number, address and
 * list filled from config and from the constants the code itself runs on, so the page cannot promise what the
 * code does not do. A placeholder without a value, or a value without a placeholder, throws.
 */
import { readFileSync } from 'node:fs';
import { DUE_AFTER_MS } from '../../workflows/privacy-request-tracker.js';
import type { Config } from '../../config/schema.js';
import { META_PERMISSIONS } from '../meta-connect/permissions.js';
import { ESSENTIAL_COOKIES, type EssentialCookie } from './cookies.js';
import { escapeHtml } from './layout.js';
import { DAY_MS } from '../../lib/durations.js';

/**
 * The date the policy's wording last changed: the company's May 2026 text, plus the cookie list of §12, and in
 * December 2026 §11's "tracking is off by default" (a configured closure grace period adds its own sentence to §7).
 */
export const POLICY_LAST_UPDATED = '2026-12-03';

const policySource = () => readFileSync(new URL('./privacy-policy.md', import.meta.url), 'utf8').replace(/<!--[\s\S]*?-->\s*/g, '');

export type PolicyFacts = {
  lastUpdated: string;
  companyName: string;
  companyAddress: string | undefined;
  contactEmail: string;
  conversationRetentionDays: number;
  /** 0: a closed account's data is erased at once; otherwise the page says how long it is kept for export. */
  closureGraceDays: number;
  metaDeletionDays: number;
  rightsResponseDays: number;
  metaPermissions: readonly { name: string; purpose: string }[];
  essentialCookies: readonly EssentialCookie[];
};

export type PolicyConfig = Pick<
  Config,
  'COMPANY_NAME' | 'COMPANY_ADDRESS' | 'PRIVACY_CONTACT_EMAIL' | 'CONVERSATION_RETENTION_DAYS' | 'ACCOUNT_CLOSURE_GRACE_DAYS'
>;

export const policyFactsOf = (config: PolicyConfig): PolicyFacts => ({
  lastUpdated: new Date(`${POLICY_LAST_UPDATED}T00:00:00Z`).toLocaleDateString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }),
  companyName: config.COMPANY_NAME,
  companyAddress: config.COMPANY_ADDRESS,
  contactEmail: config.PRIVACY_CONTACT_EMAIL,
  conversationRetentionDays: config.CONVERSATION_RETENTION_DAYS,
  closureGraceDays: config.ACCOUNT_CLOSURE_GRACE_DAYS,
  // One deadline for every privacy request, Meta's callback and a person's own alike (privacy-request-tracker.ts).
  metaDeletionDays: DUE_AFTER_MS / DAY_MS,
  rightsResponseDays: DUE_AFTER_MS / DAY_MS,
  metaPermissions: META_PERMISSIONS,
  essentialCookies: ESSENTIAL_COOKIES,
});

/** Placeholders that stand on a line of their own and become list items (or nothing). */
const blocks = (f: PolicyFacts): Record<string, string[]> => ({
  metaPermissions: f.metaPermissions.map((p) => `- \`${p.name}\` — ${p.purpose}`),
  essentialCookies: f.essentialCookies.map(
    (c) => `- \`${c.name}\` (essential) — ${c.purpose}. Lasts ${c.lasts}, sent only to ${c.path}, never readable by scripts.`,
  ),
  companyAddressLine: f.companyAddress ? ['- Address: {{companyAddress}}'] : [],
});

/** Placeholders inside text: escaped, and put in only after the markup is built, so a value can never become markup. */
const texts = (f: PolicyFacts): Record<string, string> => ({
  lastUpdated: f.lastUpdated,
  companyName: f.companyName,
  companyAddress: f.companyAddress ?? '',
  contactEmail: f.contactEmail,
  conversationRetentionDays: String(f.conversationRetentionDays),
  // The company's sentence as written when closing erases at once; the grace period spelled out when there is one.
  closureGraceClause:
    f.closureGraceDays > 0
      ? `, and for ${f.closureGraceDays} ${f.closureGraceDays === 1 ? 'day' : 'days'} after it is closed so its owner can export them; then they are erased`
      : '',
  metaDeletionDays: String(f.metaDeletionDays),
  rightsResponseDays: String(f.rightsResponseDays),
});

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** Escapes a line of the policy and turns `code` and [text](href) into markup. */
const inline = (line: string) =>
  escapeHtml(line)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>');

const toHtml = (source: string) => {
  const out: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length) out.push(`<ul>${list.map((li) => `<li>${li}</li>`).join('')}</ul>`);
    list = [];
  };
  for (const line of source.split('\n').map((l) => l.trim())) {
    if (line.startsWith('- ')) {
      list.push(inline(line.slice(2)));
      continue;
    }
    flush();
    if (!line) continue;
    const section = /^## (\d+)\. (.*)$/.exec(line);
    if (line.startsWith('# ')) out.push(`<h1>${inline(line.slice(2))}</h1>`);
    else if (section) out.push(`<h2 id="section-${section[1]}">${section[1]}. ${inline(section[2]!)}</h2>`);
    else if (line.startsWith('Last updated: ')) out.push(`<p class="updated">${inline(line)}</p>`);
    else out.push(`<p>${inline(line)}</p>`);
  }
  flush();
  return out.join('\n');
};

/** The policy's HTML (the body of the page): throws when the text and the facts do not match one to one. */
export const renderPrivacyPolicy = (facts: PolicyFacts, source = policySource()): string => {
  const blockValues = blocks(facts);
  const textValues = texts(facts);
  const used = new Set<string>();
  const expanded = source.replace(/^[ \t]*\{\{(\w+)\}\}[ \t]*$/gm, (all, name: string) => {
    if (!(name in blockValues)) return all;
    used.add(name);
    return blockValues[name]!.join('\n');
  });
  // Private-use characters stand in for the values while the markup is built.
  const marked = expanded.replace(PLACEHOLDER, (_all, name: string) => {
    if (!(name in textValues)) throw new Error(`privacy policy: no value for {{${name}}}`);
    used.add(name);
    return `\uE000${name}\uE001`;
  });
  // An unset address has nothing to show; every other fact must appear.
  const shown = Object.keys(textValues).filter((k) => textValues[k] !== '');
  const unused = [...Object.keys(blockValues), ...shown].filter((k) => !used.has(k));
  if (unused.length) throw new Error(`privacy policy: the text never shows ${unused.join(', ')}`);
  return toHtml(marked).replace(/\uE000(\w+)\uE001/g, (_all, name: string) => escapeHtml(textValues[name]!));
};
