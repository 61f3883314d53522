/** The dashboard's conversations (members and owners): list, transcript, pause/resume, human replies, drafts. */
import { Router, type Request } from 'express';
import type { Models } from '../../db/models/index.js';
import { writeAudit } from '../../domain/audit.js';
import { auditActorOf } from '../auth/actor.js';
import { authenticate, requireBusiness } from '../auth/middleware.js';
import type { AuthDeps } from '../auth/deps.js';
import { controlConversation, loadConversation } from '../conversations/control.js';
import { listConversations } from '../conversations/list.js';
import { pageOf } from '../conversations/page-of.js';
import type { Dispatcher } from '../conversations/dispatch.js';
import { approveDraft, discardDraft, sendHumanReply } from '../conversations/replies.js';
import * as S from '../conversations/schemas.js';
import { conversationView, messageView, stateView } from '../conversations/views.js';
import type { MessageRow } from '../../domain/conversation-records.js';
import { documentedRoute } from '../openapi/route.js';
import { mapPage, PageSchema } from '../pagination.js';

export type ConversationsRouterDeps = { models: Models; auth: AuthDeps; dispatcher: Dispatcher };

const TAGS = ['Conversations'];
const BASE = '/api/v1/businesses/:businessId/conversations';

export const conversationsRouter = (deps: ConversationsRouterDeps) => {
  const router = Router();
  const { models } = deps;
  const { auth } = deps;
  const member = [authenticate(auth), requireBusiness(auth)];
  const control = { models, dispatcher: deps.dispatcher };
  const audit = (req: Request, p: { businessId: string; conversationId: string }, action: string) =>
    writeAudit(models, { ...auditActorOf(req), businessId: p.businessId, action, target: p.conversationId });

  documentedRoute(
    router,
    {
      method: 'get',
      path: BASE,
      tags: TAGS,
      summary: 'Conversations, most recent activity first, with the lead’s name and urgency and a preview of the last message',
      params: S.BusinessParamsSchema,
      query: S.ConversationListQuerySchema,
      responses: { 200: PageSchema(S.ConversationListItemSchema) },
    },
    member,
    async (_req, res, { params, query }) => {
      res.json(await listConversations(models, params.businessId, query));
    },
  );

  // Before `/:conversationId`, which would otherwise take "drafts" as an id.
  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BASE}/drafts`,
      tags: TAGS,
      summary: 'Assistant replies waiting for approval (AI mode "draft"), newest first',
      params: S.BusinessParamsSchema,
      query: S.DraftListQuerySchema,
      responses: { 200: PageSchema(S.MessageViewSchema) },
    },
    member,
    async (_req, res, { params, query }) => {
      const page = await pageOf<MessageRow>(models.Message, { businessId: params.businessId, status: 'draft' }, query, {
        sortBy: 'at',
        order: 'desc',
      });
      res.json(mapPage(page, messageView));
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BASE}/:conversationId`,
      tags: TAGS,
      summary: 'One conversation with its transcript (oldest message first, paginated)',
      params: S.ConversationParamsSchema,
      query: S.TranscriptQuerySchema,
      responses: { 200: S.ConversationDetailSchema },
    },
    member,
    async (_req, res, { params, query }) => {
      const conv = await loadConversation(models, params.businessId, params.conversationId);
      const messages = await pageOf<MessageRow>(models.Message, { conversationId: conv._id, businessId: params.businessId }, query, {
        sortBy: 'at',
        order: 'asc',
      });
      res.json({ conversation: conversationView(conv), messages: mapPage(messages, messageView) });
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/:conversationId/pause`,
      tags: TAGS,
      summary: 'Pause the assistant in this conversation (default: the business handover time)',
      params: S.ConversationParamsSchema,
      body: S.PauseBodySchema,
      example: { minutes: 60 },
      responses: { 200: S.ConversationStateViewSchema, 404: 'no such conversation, or it has ended' },
    },
    member,
    async (req, res, { params, body }) => {
      const state = await controlConversation(control, params, {
        action: 'pause',
        ...(body.minutes !== undefined ? { minutes: body.minutes } : {}),
      });
      await audit(req, params, 'conversation.paused');
      res.json(stateView(state));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/:conversationId/resume`,
      tags: TAGS,
      summary: 'Let the assistant answer again',
      params: S.ConversationParamsSchema,
      body: S.EmptyBodySchema,
      responses: { 200: S.ConversationStateViewSchema, 404: 'no such conversation, or it has ended' },
    },
    member,
    async (req, res, { params }) => {
      const state = await controlConversation(control, params, { action: 'resume' });
      await audit(req, params, 'conversation.resumed');
      res.json(stateView(state));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/:conversationId/reply`,
      tags: TAGS,
      summary: 'Reply as a person; pauses the assistant. Outside 24 h (up to 7 days) Meta channels use the HUMAN_AGENT tag',
      params: S.ConversationParamsSchema,
      body: S.ReplyBodySchema,
      example: { text: 'Hi, this is Anna from reception: we can see you at 3pm.' },
      responses: { 201: S.SentMessageSchema, 202: S.UnconfirmedMessageSchema, 404: 'no such conversation, or it has ended' },
    },
    member,
    async (req, res, { params, body }) => {
      const answer = await sendHumanReply(control, { ...params, text: body.text, actor: auditActorOf(req) });
      res.status(answer.delivery === 'confirmed' ? 201 : 202).json(answer.body);
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/:conversationId/drafts/:messageId/approve`,
      tags: TAGS,
      summary: 'Send a draft reply, optionally edited',
      params: S.DraftParamsSchema,
      body: S.ApproveDraftBodySchema,
      example: { text: 'We are open 8:30 to 18:00 on weekdays.' },
      responses: { 200: S.SentMessageSchema, 202: S.UnconfirmedMessageSchema, 404: 'no such draft' },
    },
    member,
    async (req, res, { params, body }) => {
      const answer = await approveDraft(control, {
        ...params,
        ...(body.text !== undefined ? { text: body.text } : {}),
        actor: auditActorOf(req),
      });
      res.status(answer.delivery === 'confirmed' ? 200 : 202).json(answer.body);
    },
  );

  documentedRoute(
    router,
    {
      method: 'delete',
      path: `${BASE}/:conversationId/drafts/:messageId`,
      tags: TAGS,
      summary: 'Discard a draft reply',
      params: S.DraftParamsSchema,
      responses: { 204: 'discarded', 404: 'no such draft' },
    },
    member,
    async (req, res, { params }) => {
      await discardDraft(control, { ...params, actor: auditActorOf(req) });
      res.status(204).end();
    },
  );

  return router;
};
