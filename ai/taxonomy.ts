// Enquiry types per niche family. Rules are tried in order and the first match wins, so the more specific
// (and more urgent) types come first. Type names are stable snake_case identifiers the CRM filters on.
import { phrasesInAllLanguages } from './lexicon/index.js';
import { type Phrase } from './text.js';
import { type Urgency } from './types.js';

export type NicheFamily = 'dental' | 'medical' | 'legal' | 'trades' | 'salon' | 'accounting' | 'real_estate' | 'fitness' | 'generic';
export type TaxonomyRule = { type: string; phrases: readonly Phrase[]; urgency?: Urgency };

// Order matters: "dental surgery" is dental not medical, "bodybuilding gym" is fitness not a builder.
const FAMILY_BY_NICHE: [NicheFamily, RegExp][] = [
  ['dental', /\bdent|orthodont|teeth|tooth/],
  ['medical', /clinic|medical|doctor|\bgp\b|physio|chiropract|osteopath|aesthetic|optician|optometr|podiat|therap|psycholog|dermatolog|surgery|health/],
  ['legal', /\blaw|legal|solicitor|attorney|lawyer|notary|barrister|conveyanc/],
  ['real_estate', /real estate|realtor|estate agen|letting|propert|realty/],
  ['accounting', /account|bookkeep|\btax|\bcpa\b|payroll|audit/],
  ['salon', /salon|hair|barber|beauty|nail|\bspa\b|lash|brow|massage|tattoo|make-?up|stylist/],
  ['fitness', /\bgym|fitness|personal train|yoga|pilates|crossfit|boxing|martial|dance|swim|sport|bootcamp/],
  ['trades', /plumb|electric|\bbuild|roof|handyman|hvac|heating|gas engineer|locksmith|carpent|joiner|paint|decorat|landscap|garden|clean|pest|glaz|tiler|plaster|trade|repair|boiler|mechanic|garage/],
];

export function nicheFamily(niche: string): NicheFamily {
  const lower = niche.toLowerCase();
  return FAMILY_BY_NICHE.find(([, re]) => re.test(lower))?.[0] ?? 'generic';
}

const BOOKING = phrasesInAllLanguages('booking');
const PRICING = phrasesInAllLanguages('pricing');
const COMPLAINT: Phrase[] = ['complaint', 'complain', 'unhappy', 'disappointed', 'not happy', 'refund', 'terrible service',
  'poor service', 'rude', 'waste of money', 'worst', 'queja', 'reclamacion', 'plainte', 'reclamation', 'beschwerde', 'unzufrieden'];
const AVAILABILITY: Phrase[] = ['are you open', 'opening hours', 'opening times', 'open on', 'open today', 'open tomorrow',
  'when do you open', 'when do you close', 'what time do you', 'hours', 'horario', 'abren', 'ouvert', 'horaires',
  'offnungszeiten', 'geoffnet'];
const CANCELLATION: Phrase[] = ['cancel', 'cancellation', 'reschedule', 'change my appointment', 'move my appointment',
  'cancelar', 'annuler', 'absagen', 'stornieren', 'kundigen'];

const rule = (type: string, phrases: readonly Phrase[], urgency?: Urgency): TaxonomyRule => ({ type, phrases, urgency });

// Every family ends with the generic tail so pricing/booking/availability are always recognised.
const GENERIC_TAIL: TaxonomyRule[] = [rule('booking', BOOKING), rule('pricing', PRICING), rule('availability', AVAILABILITY)];

export const TAXONOMY: Record<NicheFamily, TaxonomyRule[]> = {
  dental: [
    rule('emergency_dental', ['toothache', 'tooth pain', 'broken tooth', 'chipped tooth', 'cracked tooth', 'knocked out',
      'abscess', 'swelling', 'swollen', 'lost a filling', 'filling fell out', 'crown fell off', 'dental emergency',
      'emergency appointment', 'severe pain', 'dolor de muelas', 'mal de dents', 'zahnschmerzen'], 'high'),
    rule('complaint', COMPLAINT), rule('cancellation', CANCELLATION), rule('pricing', PRICING),
    rule('appointment', [...BOOKING, 'check-up', 'checkup', 'check up']),
    rule('insurance', ['insurance', 'nhs', 'payment plan', 'finance', 'dental plan']),
    rule('treatment_question', ['implant', 'implants', 'whitening', 'braces', 'invisalign', 'aligners', 'veneers',
      'crown', 'filling', 'root canal', 'extraction', 'wisdom tooth', 'wisdom teeth', 'hygienist', 'cleaning',
      'scale and polish', 'dentures', 'bonding', 'gum disease', 'treatment']),
    ...GENERIC_TAIL,
  ],
  medical: [
    rule('urgent_care', ['same day', 'same-day', 'severe', 'emergency', 'getting worse'], 'high'),
    rule('complaint', COMPLAINT), rule('cancellation', CANCELLATION),
    rule('prescription', ['prescription', 'repeat prescription', 'refill', 'receta', 'ordonnance', 'rezept']),
    rule('test_results', ['results', 'test results', 'blood test', 'scan results']),
    rule('pricing', PRICING), rule('appointment', BOOKING),
    rule('treatment_question', ['treatment', 'therapy', 'botox', 'filler', 'fillers', 'physio', 'session', 'procedure']),
    ...GENERIC_TAIL,
  ],
  legal: [
    rule('case_enquiry', ['my case', 'the case', 'case number', 'ongoing case', 'court date', 'hearing', 'update on',
      'my solicitor', 'my lawyer', 'reference number']),
    rule('complaint', COMPLAINT),
    rule('family_law', ['divorce', 'custody', 'separation', 'child arrangements', 'prenup', 'divorcio', 'custodia', 'scheidung']),
    rule('employment', ['dismissed', 'fired', 'unfair dismissal', 'redundancy', 'tribunal', 'employment contract',
      'discrimination', 'harassment', 'despido', 'licenciement']),
    rule('property_law', ['conveyancing', 'buying a house', 'selling my house', 'lease', 'landlord', 'tenant', 'eviction']),
    rule('personal_injury', ['accident', 'injury claim', 'compensation', 'whiplash', 'injured at work']),
    rule('wills_probate', ['a will', 'my will', 'make a will', 'write a will', 'wills', 'probate', 'power of attorney',
      'inheritance', 'testament', 'testamento']),
    rule('criminal', ['arrested', 'charged with', 'police', 'criminal', 'court summons']),
    rule('immigration', ['visa', 'immigration', 'residence permit', 'asylum']),
    rule('consultation', [...BOOKING, 'consultation', 'advice on', 'speak to a lawyer', 'speak to a solicitor']),
    ...GENERIC_TAIL,
  ],
  trades: [
    rule('callout', ['burst pipe', 'flooding', 'flood', 'water everywhere', 'no heating', 'no hot water', 'locked out',
      'power cut', 'no power', 'sparking', 'burning smell', 'leaking badly', 'emergency', 'urgent', 'gas leak'], 'high'),
    rule('complaint', COMPLAINT),
    rule('quote', ['quote', 'estimate', 'how much', 'price', 'cost', 'ballpark', 'presupuesto', 'devis', 'kostenvoranschlag']),
    rule('repair', ['fix', 'repair', 'broken', 'not working', 'leak', 'leaking', 'leaky', 'dripping', 'blocked', 'clogged',
      'faulty', 'stopped working', 'tripping', 'keeps tripping', 'bleed', 'servicing', 'boiler service']),
    rule('installation', ['install', 'installation', 'fit', 'fitting', 'replace', 'replacement', 'new boiler',
      'new bathroom', 'new kitchen', 'upgrade', 'rewire', 'put in']),
    ...GENERIC_TAIL,
  ],
  salon: [
    rule('complaint', COMPLAINT), rule('cancellation', CANCELLATION), rule('appointment', BOOKING), rule('pricing', PRICING),
    rule('service_question', ['colour', 'color', 'balayage', 'highlights', 'cut', 'haircut', 'blow dry', 'perm',
      'keratin', 'extensions', 'nails', 'gel', 'acrylic', 'manicure', 'pedicure', 'lashes', 'brows', 'wax', 'waxing',
      'facial', 'massage', 'fade', 'beard', 'patch test']),
    ...GENERIC_TAIL,
  ],
  accounting: [
    rule('deadline', ['deadline', 'due tomorrow', 'due today', 'penalty', 'late filing', 'fine from hmrc', 'overdue'], 'high'),
    rule('complaint', COMPLAINT),
    rule('tax_return', ['tax return', 'self assessment', 'self-assessment', 'file my taxes', 'hmrc', 'irs', 'vat', 'taxes']),
    rule('bookkeeping', ['bookkeeping', 'my books', 'xero', 'quickbooks', 'sage', 'reconcile', 'receipts']),
    rule('payroll', ['payroll', 'payslips', 'payslip', 'paye']),
    rule('company_formation', ['set up a company', 'limited company', 'start a business', 'incorporate', 'register a company', 'llc']),
    rule('consultation', [...BOOKING, 'consultation']),
    rule('pricing', PRICING), ...GENERIC_TAIL,
  ],
  real_estate: [
    rule('complaint', COMPLAINT),
    rule('viewing', ['viewing', 'view the property', 'see the house', 'see the flat', 'see the apartment', 'open house', 'visita', 'visite', 'besichtigung']),
    rule('valuation', ['valuation', 'appraisal', 'worth', 'value my', 'market appraisal', 'tasacion', 'estimation', 'bewertung']),
    rule('selling', ['sell my', 'selling', 'list my', 'vender', 'vendre', 'verkaufen']),
    rule('buying', ['buy', 'buying', 'looking for a house', 'looking for a flat', 'first time buyer', 'make an offer', 'comprar', 'acheter', 'kaufen']),
    rule('renting', ['rent', 'renting', 'to let', 'letting', 'tenancy', 'lease', 'alquilar', 'louer', 'mieten']),
    rule('maintenance', ['repair', 'broken', 'leak', 'not working', 'maintenance']),
    ...GENERIC_TAIL,
  ],
  fitness: [
    rule('complaint', COMPLAINT),
    rule('cancellation', ['cancel', 'freeze my membership', 'pause my membership', 'cancelar', 'annuler', 'kundigen']),
    rule('trial', ['free trial', 'trial class', 'day pass', 'taster', 'first class free', 'try a class', 'trial']),
    rule('personal_training', ['personal training', 'personal trainer', 'pt', '1-2-1', 'one to one', 'one-on-one']),
    rule('membership', ['membership', 'join', 'sign up', 'monthly', 'contract', 'membresia', 'abonnement', 'mitgliedschaft']),
    rule('class_booking', ['class', 'classes', 'timetable', ...BOOKING]),
    ...GENERIC_TAIL,
  ],
  generic: [rule('complaint', COMPLAINT), ...GENERIC_TAIL],
};
