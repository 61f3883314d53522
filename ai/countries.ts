// Per-country dialling facts used to turn what a visitor types into E.164, and to name the
// emergency number in safety replies. Lengths are national significant number (NSN) ranges,
// deliberately a little generous: rejecting a real lead's number costs more than accepting an odd one.
export type CountryDialInfo = {
  callingCode: string;
  trunkPrefix?: string; // dialled before national numbers and dropped in E.164 (GB '0', US '1', HU '06')
  nsnLength: [min: number, max: number];
  emergency: string; // number to tell people in danger to call
};

export const COUNTRY_DIAL_INFO: Readonly<Record<string, CountryDialInfo>> = {
  US: { callingCode: '1', trunkPrefix: '1', nsnLength: [10, 10], emergency: '911' },
  CA: { callingCode: '1', trunkPrefix: '1', nsnLength: [10, 10], emergency: '911' },
  GB: { callingCode: '44', trunkPrefix: '0', nsnLength: [9, 10], emergency: '999' },
  IE: { callingCode: '353', trunkPrefix: '0', nsnLength: [7, 9], emergency: '112' },
  FR: { callingCode: '33', trunkPrefix: '0', nsnLength: [9, 9], emergency: '112' },
  DE: { callingCode: '49', trunkPrefix: '0', nsnLength: [7, 12], emergency: '112' },
  ES: { callingCode: '34', nsnLength: [9, 9], emergency: '112' },
  IT: { callingCode: '39', nsnLength: [6, 11], emergency: '112' }, // Italy keeps the leading 0 in E.164
  PT: { callingCode: '351', nsnLength: [9, 9], emergency: '112' },
  NL: { callingCode: '31', trunkPrefix: '0', nsnLength: [9, 9], emergency: '112' },
  BE: { callingCode: '32', trunkPrefix: '0', nsnLength: [8, 9], emergency: '112' },
  LU: { callingCode: '352', nsnLength: [6, 11], emergency: '112' },
  CH: { callingCode: '41', trunkPrefix: '0', nsnLength: [9, 9], emergency: '112' },
  AT: { callingCode: '43', trunkPrefix: '0', nsnLength: [7, 13], emergency: '112' },
  DK: { callingCode: '45', nsnLength: [8, 8], emergency: '112' },
  SE: { callingCode: '46', trunkPrefix: '0', nsnLength: [7, 10], emergency: '112' },
  NO: { callingCode: '47', nsnLength: [8, 8], emergency: '112' },
  FI: { callingCode: '358', trunkPrefix: '0', nsnLength: [6, 11], emergency: '112' },
  PL: { callingCode: '48', nsnLength: [9, 9], emergency: '112' },
  CZ: { callingCode: '420', nsnLength: [9, 9], emergency: '112' },
  GR: { callingCode: '30', nsnLength: [10, 10], emergency: '112' },
  RO: { callingCode: '40', trunkPrefix: '0', nsnLength: [9, 9], emergency: '112' },
  HU: { callingCode: '36', trunkPrefix: '06', nsnLength: [8, 9], emergency: '112' },
  TR: { callingCode: '90', trunkPrefix: '0', nsnLength: [10, 10], emergency: '112' },
  IL: { callingCode: '972', trunkPrefix: '0', nsnLength: [8, 9], emergency: '101' },
  AE: { callingCode: '971', trunkPrefix: '0', nsnLength: [8, 9], emergency: '999' },
  SA: { callingCode: '966', trunkPrefix: '0', nsnLength: [8, 9], emergency: '997' },
  ZA: { callingCode: '27', trunkPrefix: '0', nsnLength: [9, 9], emergency: '112' },
  NG: { callingCode: '234', trunkPrefix: '0', nsnLength: [8, 10], emergency: '112' },
  KE: { callingCode: '254', trunkPrefix: '0', nsnLength: [9, 9], emergency: '999' },
  EG: { callingCode: '20', trunkPrefix: '0', nsnLength: [8, 10], emergency: '123' },
  IN: { callingCode: '91', trunkPrefix: '0', nsnLength: [10, 10], emergency: '112' },
  PK: { callingCode: '92', trunkPrefix: '0', nsnLength: [9, 10], emergency: '1122' },
  CN: { callingCode: '86', trunkPrefix: '0', nsnLength: [9, 11], emergency: '120' },
  JP: { callingCode: '81', trunkPrefix: '0', nsnLength: [9, 10], emergency: '119' },
  KR: { callingCode: '82', trunkPrefix: '0', nsnLength: [8, 10], emergency: '119' },
  SG: { callingCode: '65', nsnLength: [8, 8], emergency: '995' },
  HK: { callingCode: '852', nsnLength: [8, 8], emergency: '999' },
  MY: { callingCode: '60', trunkPrefix: '0', nsnLength: [8, 10], emergency: '999' },
  PH: { callingCode: '63', trunkPrefix: '0', nsnLength: [8, 10], emergency: '911' },
  TH: { callingCode: '66', trunkPrefix: '0', nsnLength: [8, 9], emergency: '1669' },
  ID: { callingCode: '62', trunkPrefix: '0', nsnLength: [8, 12], emergency: '112' },
  AU: { callingCode: '61', trunkPrefix: '0', nsnLength: [9, 9], emergency: '000' },
  NZ: { callingCode: '64', trunkPrefix: '0', nsnLength: [8, 10], emergency: '111' },
  MX: { callingCode: '52', nsnLength: [10, 10], emergency: '911' },
  BR: { callingCode: '55', trunkPrefix: '0', nsnLength: [10, 11], emergency: '192' },
  AR: { callingCode: '54', trunkPrefix: '0', nsnLength: [10, 11], emergency: '911' },
  CO: { callingCode: '57', nsnLength: [10, 10], emergency: '123' },
  CL: { callingCode: '56', nsnLength: [9, 9], emergency: '131' },
  PE: { callingCode: '51', trunkPrefix: '0', nsnLength: [8, 9], emergency: '105' },
};

export function dialInfo(country: string): CountryDialInfo | undefined {
  return COUNTRY_DIAL_INFO[country.trim().toUpperCase()];
}

/** 112 works from any mobile in most of the world, so it is the safest default. */
export function emergencyNumber(country: string): string {
  return dialInfo(country)?.emergency ?? '112';
}

/** Calling code → dial info, longest codes first so '353' wins over '35'. */
export function dialInfoForInternationalDigits(digits: string): CountryDialInfo | undefined {
  for (const len of [3, 2, 1]) {
    const code = digits.slice(0, len);
    const match = Object.values(COUNTRY_DIAL_INFO).find((info) => info.callingCode === code);
    if (match) return match;
  }
  return undefined;
}
