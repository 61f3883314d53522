// Phone numbers: visitors type them every possible way ("07700 900123", "+44 (0)7700 900123",
// "0044…", "(415) 555-0132"); the CRM needs one canonical E.164 form.
import { dialInfo, dialInfoForInternationalDigits, type CountryDialInfo } from './countries.js';

const E164_MAX_DIGITS = 15;
const UNKNOWN_CODE_MIN_DIGITS = 8;

function nsnLengthOk(nsn: string, info: CountryDialInfo): boolean {
  return nsn.length >= info.nsnLength[0] && nsn.length <= info.nsnLength[1];
}

/** NANP area codes and exchanges never start with 0 or 1; cheap guard against order numbers. */
function plausibleNsn(nsn: string, info: CountryDialInfo): boolean {
  if (!nsnLengthOk(nsn, info)) return false;
  if (info.callingCode === '1') return /^[2-9]\d{2}[2-9]/.test(nsn);
  return true;
}

function fromInternational(digits: string): string | undefined {
  const info = dialInfoForInternationalDigits(digits);
  if (!info) {
    return digits.length >= UNKNOWN_CODE_MIN_DIGITS && digits.length <= E164_MAX_DIGITS ? `+${digits}` : undefined;
  }
  let nsn = digits.slice(info.callingCode.length);
  // "+44 (0)7700…" and "+44 07700…" are common; the trunk 0 never belongs in E.164 (Italy has no trunk prefix).
  if (info.trunkPrefix === '0' && nsn.startsWith('0')) nsn = nsn.slice(1);
  return plausibleNsn(nsn, info) ? `+${info.callingCode}${nsn}` : undefined;
}

function fromNational(digits: string, info: CountryDialInfo): string | undefined {
  const withoutTrunk = info.trunkPrefix && digits.startsWith(info.trunkPrefix) ? digits.slice(info.trunkPrefix.length) : undefined;
  if (withoutTrunk !== undefined && nsnLengthOk(withoutTrunk, info)) {
    return plausibleNsn(withoutTrunk, info) ? `+${info.callingCode}${withoutTrunk}` : undefined;
  }
  if (digits.startsWith(info.callingCode) && !nsnLengthOk(digits, info)) {
    return fromInternational(digits); // "447700900123": international digits typed without the plus
  }
  return plausibleNsn(digits, info) ? `+${info.callingCode}${digits}` : undefined;
}

/**
 * Normalises a phone number to E.164 ("+447700900123"), or undefined when it cannot be a phone number.
 * `country` (ISO alpha-2) decides how numbers without an international prefix are read.
 */
export function normalisePhone(raw: string, country: string): string | undefined {
  const cleaned = raw
    .trim()
    .replace(/^tel:/i, '')
    .replace(/\s*(?:ext\.?|x|#)\s*\d{1,6}$/i, '') // extensions cannot be dialled from E.164
    .replace(/\(0\)/g, '');
  if (!/^\+?[\d\s().\-/]+$/.test(cleaned)) return undefined;
  const digits = cleaned.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > E164_MAX_DIGITS + 3) return undefined;

  const info = dialInfo(country);
  if (cleaned.startsWith('+')) return fromInternational(digits);
  if (digits.startsWith('00')) return fromInternational(digits.slice(2));
  if (info?.callingCode === '1' && digits.startsWith('011')) return fromInternational(digits.slice(3));
  if (info?.callingCode === '61' && digits.startsWith('0011')) return fromInternational(digits.slice(4));
  return info ? fromNational(digits, info) : undefined;
}

// A run of digits with the separators people use; at least 7 characters so "3 days" or "£40" never match.
const PHONE_CANDIDATE = /\+?\(?\d[\d\s().\-/]{5,22}\d/g;
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;
const TIME_RANGE_LIKE = /^\d{1,2}[.:]\d{2}\s*-\s*\d{1,2}[.:]\d{2}$/;

/** First phone number found in free text, as E.164. */
export function extractPhone(text: string, country: string): string | undefined {
  for (const match of text.matchAll(PHONE_CANDIDATE)) {
    const candidate = match[0].trim();
    if (DATE_LIKE.test(candidate) || TIME_RANGE_LIKE.test(candidate)) continue;
    const before = text.slice(Math.max(0, match.index - 1), match.index);
    if (/[£$€¥#]/.test(before)) continue; // prices and order numbers, not phones
    const phone = normalisePhone(candidate, country);
    if (phone) return phone;
  }
  return undefined;
}

/** Text with every recognisable phone number blanked out (keeps contact details out of enquiry summaries). */
export function removePhones(text: string, country: string): string {
  return text.replace(PHONE_CANDIDATE, (candidate) => (normalisePhone(candidate, country) ? ' ' : candidate));
}
