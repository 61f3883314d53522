/**
 * The demo business `npm start` offers: a dental clinic with a Messenger Page, an Instagram account and a
 * website key, so the product can be tried with no Meta app at all. Idempotent: re-seeding changes nothing.
 */
import { encryptString, type KeyRing } from '../lib/crypto.js';
import type { Models } from '../db/models/index.js';
import { DEFAULT_HANDOVER_PAUSE_MINUTES } from './conversation.js';
import { channelTokenContext } from './encryption-contexts.js';

export const DEMO = {
  businessId: 'biz_demo_brightsmile',
  publishableKey: 'pk_demo_brightsmile',
  messengerPageId: '100000000000001',
  instagramAccountId: '17841400000000001',
  pageToken: 'demo-page-token-not-a-secret',
} as const;

export const seedDemo = async (models: Models, ring: KeyRing, opts: { publicUrl: string }) => {
  const origin = new URL(opts.publicUrl).origin;
  await models.Business.updateOne(
    { _id: DEMO.businessId },
    {
      $setOnInsert: {
        name: 'Bright Smile Dental Clinic',
        niche: 'dental clinic',
        country: 'GB',
        timezone: 'Europe/London',
        language: 'en',
        workingHours: [1, 2, 3, 4, 5]
          .map((day) => ({ day, open: '08:30', close: '18:00' }))
          .concat([{ day: 6, open: '09:00', close: '13:00' }]),
        pricing: 'Check-up £55, hygienist clean £75, teeth whitening from £295, emergency appointment £95.',
        bookingLinks: [{ label: 'Book online', url: 'https://example.com/brightsmile/book' }],
        calendlyUrl: 'https://calendly.com/brightsmile-demo/consultation',
        customInstructions: 'We welcome new NHS and private patients. Parking is available behind the clinic.',
        aiMode: 'auto',
        handoverPauseMinutes: DEFAULT_HANDOVER_PAUSE_MINUTES,
        publishableKey: DEMO.publishableKey,
        allowedOrigins: [origin, 'http://localhost:3000', 'http://127.0.0.1:3000'],
        widgetColor: '#0f766e',
        widgetGreeting: 'Hi! Ask us about appointments, prices or opening hours.',
        privacyUrl: `${opts.publicUrl.replace(/\/$/, '')}/privacy`,
        notifyEmails: ['owner@brightsmile.example'],
        notifyWhatsapp: [{ number: '+447700900000', status: 'ok' }],
      },
    },
    { upsert: true },
  );
  const channels = [
    {
      _id: 'ch_demo_messenger',
      kind: 'messenger',
      externalId: DEMO.messengerPageId,
      pageId: DEMO.messengerPageId,
      name: 'Bright Smile (Facebook)',
    },
    {
      _id: 'ch_demo_instagram',
      kind: 'instagram',
      externalId: DEMO.instagramAccountId,
      pageId: DEMO.messengerPageId,
      name: '@brightsmile.demo',
    },
  ];
  for (const c of channels) {
    await models.Channel.updateOne(
      { _id: c._id },
      {
        $setOnInsert: {
          ...c,
          businessId: DEMO.businessId,
          status: 'connected',
          connectedAt: new Date(),
          tokenSealed: encryptString(ring, DEMO.pageToken, channelTokenContext(c._id)),
        },
      },
      { upsert: true },
    );
  }
  return DEMO;
};
