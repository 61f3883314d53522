// Shared types for the reply-generation brain. Names are part of the contract with the rest of LuxLeads.
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6; // 0 = Sunday

export type BusinessProfile = {
  id: string;
  name: string;
  niche: string; // e.g. 'dental clinic', 'law firm', 'hair salon', 'plumber', 'accountant', 'real estate', 'fitness'
  country: string; // ISO 3166 alpha-2 — used to normalise local phone numbers and pick the emergency number
  timezone: string; // IANA, e.g. 'Europe/London'
  language: string; // BCP-47 primary, e.g. 'en', 'es', 'fr', 'de'
  workingHours: { day: Weekday; open: string; close: string }[]; // 'HH:MM' local time; days absent = closed
  pricing?: string;
  bookingLinks: { label: string; url: string }[];
  calendlyUrl?: string;
  customInstructions?: string;
};

export type TranscriptMessage = {
  direction: 'inbound' | 'outbound';
  author: 'visitor' | 'assistant' | 'human';
  text: string;
  at: string; // ISO
};

export type LeadFields = { name?: string; phone?: string /* E.164 */; email?: string; enquiry?: string /* one-line summary */ };

export type Urgency = 'low' | 'normal' | 'high' | 'emergency';

export type SpecialistKind = 'none' | 'medical' | 'legal' | 'financial' | 'emergency' | 'other_regulated';

export type AssistantResult = {
  reply: string;
  lead: LeadFields;
  enquiryType: string;
  urgency: Urgency;
  specialist: SpecialistKind;
  needsHuman: boolean;
  humanReason?: 'requested' | 'specialist' | 'emergency' | 'unsure';
  intents: { wantsHuman: boolean; wantsDeletion: boolean; wantsStop: boolean; wantsBooking: boolean };
  quickReplies: { title: string; payload: string }[]; // ≤ 13, titles ≤ 20 chars
  source: 'openai' | 'offline' | 'fallback';
};

export type RespondInput = {
  business: BusinessProfile;
  transcript: TranscriptMessage[];
  now: Date;
  isFirstReply: boolean;
  channel: 'messenger' | 'instagram' | 'web';
};
