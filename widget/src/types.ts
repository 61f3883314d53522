/** Wire types of the widget API (/widget/v1). Kept DOM-free so unit tests and the root tsconfig can import them. */

export type Direction = 'inbound' | 'outbound';
export type Author = 'visitor' | 'assistant' | 'human';

/** inbound = written by the visitor; outbound = written by the business (assistant or a human agent). */
export interface Message {
  id: string;
  clientMessageId?: string | undefined;
  direction: Direction;
  author: Author;
  text: string;
  createdAt: string;
}

export interface WidgetConfig {
  businessName: string;
  color: string;
  greeting: string;
  privacyUrl: string;
  /** The request form tied to this session (absent from older APIs). */
  dataRequestUrl?: string | undefined;
  /** Not used for wording: the disclosure line is fixed so a tenant can neither hide nor reword it. */
  aiDisclosure?: unknown;
}

export interface SessionResponse {
  sessionId: string;
  config: WidgetConfig;
  messages: Message[];
  cursor: string;
}

export interface SendResponse {
  message: Message;
}

export interface PollResponse {
  messages: Message[];
  cursor: string;
  typing: boolean;
}

/** RFC 9457 problem document. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
}
