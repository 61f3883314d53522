/** Signing up, logging in, confirming the email address, resetting the password and accepting an invitation. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, data } from '../api/client';
import { t } from '../i18n';
import { navigate, useLocation } from '../router';
import { loadMe, startSession, useSession } from '../session';
import { Busy, ErrorBox, NewPasswordInput, Notice, onSubmit, TextInput } from '../ui/forms';
import { useAction } from '../ui/hooks';
import { Footer } from '../ui/layout';
import { Page } from '../ui/page';

const AuthFrame = ({ title, children }: { title: string; children: ComponentChildren }) => (
  <div class="auth-shell">
    <main id="main" class="auth-card">
      <p class="brand">{t.appName}</p>
      <Page title={title}>{children}</Page>
    </main>
    <Footer />
  </div>
);

/** Where to go after logging in: the page asked for (same app only), else the overview. */
const nextOf = (query: URLSearchParams) => {
  const next = query.get('next');
  return next && next.startsWith('/app/') && !next.startsWith('/app/login') ? next : '/app';
};

const fieldError = (err: Error | undefined, field: string) => (err instanceof ApiError ? err.fieldErrors[field] : undefined);

/** A form that, once `run` succeeds, gives way to the message it returned and an optional link onward. */
const DoneOnceForm = ({
  action,
  run,
  label,
  then,
  noValidate = true,
  children,
}: {
  action: ReturnType<typeof useAction>;
  run: () => Promise<string>;
  label: string;
  then?: { href: string; label: string };
  noValidate?: boolean;
  children?: ComponentChildren;
}) =>
  action.done ? (
    <>
      <Notice kind="success">{action.done}</Notice>
      {then && (
        <p>
          <a href={then.href}>{then.label}</a>
        </p>
      )}
    </>
  ) : (
    <form onSubmit={onSubmit(() => void action.run(run))} noValidate={noValidate}>
      <ErrorBox error={action.error} />
      {children}
      <Busy busy={action.busy} label={label} />
    </form>
  );

export const LoginPage = () => {
  const { query } = useLocation();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = () =>
    action.run(async () => {
      const tokens = await data(api.POST('/api/v1/auth/login', { body: { email, password } }));
      await startSession(tokens);
      navigate(nextOf(query), { replace: true });
    });
  const reason = session.status === 'signed-out' ? session.reason : undefined;
  return (
    <AuthFrame title={t.auth.loginTitle}>
      {reason === 'expired' && <Notice kind="warning">{t.auth.expired}</Notice>}
      {reason === 'logged-out' && <Notice>{t.auth.loggedOut}</Notice>}
      <form onSubmit={onSubmit(() => void submit())} noValidate>
        <ErrorBox error={action.error} />
        <TextInput label={t.auth.email} type="email" autoComplete="email" required value={email} onValue={setEmail} />
        <TextInput
          label={t.auth.password}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        <Busy busy={action.busy} label={t.auth.login} />
      </form>
      <p>
        <a href="/app/forgot-password">{t.auth.forgot}</a>
      </p>
      <p>
        {t.auth.noAccount}{' '}
        <a href={`/app/signup${query.get('next') ? `?next=${encodeURIComponent(query.get('next')!)}` : ''}`}>{t.auth.toSignup}</a>
      </p>
    </AuthFrame>
  );
};

export const SignupPage = () => {
  const { query } = useLocation();
  const [form, setForm] = useState({ name: '', businessName: '', email: '', password: '' });
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const action = useAction();
  const submit = () =>
    action.run(async () => {
      const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const result = await data(api.POST('/api/v1/auth/signup', { body: { ...form, ...(timezone ? { timezone } : {}) } }));
      await startSession(result, result.businessId);
      // A new account starts on the setup checklist, unless it came for a particular page (an invitation).
      const next = nextOf(query);
      navigate(next === '/app' ? '/app/setup' : next, { replace: true });
    });
  const err = (f: string) => fieldError(action.error, f);
  return (
    <AuthFrame title={t.auth.signupTitle}>
      <form onSubmit={onSubmit(() => void submit())} noValidate>
        <ErrorBox error={action.error} />
        <TextInput label={t.auth.name} autoComplete="name" required value={form.name} onValue={set('name')} error={err('name')} />
        <TextInput
          label={t.auth.businessName}
          autoComplete="organization"
          required
          value={form.businessName}
          onValue={set('businessName')}
          error={err('businessName')}
        />
        <TextInput
          label={t.auth.email}
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onValue={set('email')}
          error={err('email')}
        />
        <NewPasswordInput label={t.auth.password} value={form.password} onValue={set('password')} error={err('password')} />
        <Busy busy={action.busy} label={t.auth.signup} />
      </form>
      <p>
        {t.auth.haveAccount} <a href="/app/login">{t.auth.toLogin}</a>
      </p>
    </AuthFrame>
  );
};

export const ForgotPasswordPage = () => {
  const [email, setEmail] = useState('');
  const action = useAction();
  return (
    <AuthFrame title={t.auth.resetTitle}>
      <p>{t.auth.resetIntro}</p>
      <DoneOnceForm
        action={action}
        run={async () => {
          await data(api.POST('/api/v1/auth/password-reset', { body: { email } }));
          return t.auth.resetSent;
        }}
        label={t.auth.resetSend}
      >
        <TextInput label={t.auth.email} type="email" autoComplete="email" required value={email} onValue={setEmail} />
      </DoneOnceForm>
      <p>
        <a href="/app/login">{t.auth.toLogin}</a>
      </p>
    </AuthFrame>
  );
};

export const ResetPasswordPage = () => {
  const { query } = useLocation();
  const token = query.get('token') ?? '';
  const [password, setPassword] = useState('');
  const action = useAction();
  if (!token) return <ForgotPasswordPage />;
  return (
    <AuthFrame title={t.auth.resetTitle}>
      <DoneOnceForm
        action={action}
        run={async () => {
          await data(api.POST('/api/v1/auth/password-reset/confirm', { body: { token, newPassword: password } }));
          return t.auth.resetDone;
        }}
        label={t.auth.resetConfirm}
        then={{ href: '/app/login', label: t.auth.toLogin }}
      >
        <NewPasswordInput value={password} onValue={setPassword} />
      </DoneOnceForm>
    </AuthFrame>
  );
};

export const VerifyEmailPage = () => {
  const { query } = useLocation();
  const session = useSession();
  const token = query.get('token') ?? '';
  const [result, setResult] = useState<{ email?: string; error?: Error }>();
  useEffect(() => {
    if (!token) return;
    api
      .POST('/api/v1/auth/verify-email', { body: { token } })
      .then(async ({ data: ok, response }) => {
        if (!response.ok || !ok) throw new Error(t.auth.verifyFailed);
        setResult({ email: ok.email });
        // The address is now verified: drop the token from the address bar and refresh what the app knows.
        history.replaceState(null, '', '/app/verify-email');
        if (session.status === 'signed-in') await loadMe();
      })
      .catch((error: Error) => setResult({ error }));
    // Runs once per token: the link is single use.
  }, [token]);
  return (
    <AuthFrame title={t.auth.verifyTitle}>
      {!result && <p role="status">{t.auth.verifying}</p>}
      {result?.email && <Notice kind="success">{t.auth.verified(result.email)}</Notice>}
      {result?.error && <ErrorBox error={result.error} />}
      {result && (
        <p>
          <a href={session.status === 'signed-in' ? '/app/setup' : '/app/login'}>{t.auth.continue}</a>
        </p>
      )}
    </AuthFrame>
  );
};

export const AcceptInvitePage = () => {
  const { query, path } = useLocation();
  const session = useSession();
  const token = query.get('token') ?? '';
  const action = useAction();
  if (session.status !== 'signed-in') {
    const next = encodeURIComponent(`${path}?token=${encodeURIComponent(token)}`);
    return (
      <AuthFrame title={t.auth.inviteTitle}>
        <p>{t.auth.inviteIntro}</p>
        <p>
          <a href={`/app/login?next=${next}`}>{t.auth.inviteLogin}</a>
        </p>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title={t.auth.inviteTitle}>
      <p>{t.auth.inviteIntro}</p>
      <DoneOnceForm
        action={action}
        run={async () => {
          const joined = await data(api.POST('/api/v1/invitations/accept', { body: { token } }));
          await loadMe(joined.businessId);
          return t.auth.inviteJoined(joined.businessName, t.team.roles[joined.role] ?? joined.role);
        }}
        label={t.auth.inviteAccept}
        then={{ href: '/app', label: t.auth.continue }}
        noValidate={false}
      />
    </AuthFrame>
  );
};
