/**
 * Plan and billing (owners): the plan and its limits, where the subscription stands, this month's usage, and the
 * two ways out to Stripe (Checkout to buy a plan, the customer portal for card and invoices). No card data here.
 */
import { api, data } from '../../api/client';
import { t } from '../../i18n';
import { useLocation } from '../../router';
import { useBusiness } from '../../ui/business';
import { loadBilling, type BillingView } from '../../ui/billing';
import { ActionButton, ErrorBox, Loading, Notice } from '../../ui/forms';
import { formatDate } from '../../ui/format';
import { useAction, useAsync } from '../../ui/hooks';

type Limits = BillingView['plan']['limits'];

const DAY_MS = 24 * 3600 * 1000;
const STATUS_BADGE: Record<string, string> = { active: 'ok', past_due: 'warn', paused: 'warn' };

/** One sentence on where the subscription stands. */
const statusLine = (v: BillingView, now: number) => {
  if (v.status === 'trialing' && v.trialEndsAt)
    return t.billing.trialLeft(Math.max(0, Math.ceil((Date.parse(v.trialEndsAt) - now) / DAY_MS)), formatDate(v.trialEndsAt));
  if (v.status === 'past_due' && v.graceEndsAt) return t.billing.pastDue(formatDate(v.graceEndsAt));
  if (v.status === 'canceled' && v.serviceUntil && Date.parse(v.serviceUntil) > now)
    return t.billing.canceledUntil(formatDate(v.serviceUntil));
  if (v.reason) return t.billing.reasons[v.reason];
  if (v.status === 'active' && v.currentPeriodEnd)
    return v.cancelAtPeriodEnd ? t.billing.cancelAtEnd(formatDate(v.currentPeriodEnd)) : t.billing.renews(formatDate(v.currentPeriodEnd));
  return undefined;
};

const Usage = ({ label, used, limit }: { label: string; used: number; limit: number | null }) => (
  <li>
    <span class="bar-label">{label}</span>
    {limit === null ? <span /> : <meter min={0} max={limit} high={limit * 0.8} optimum={0} value={used} aria-label={label} />}
    <span>{t.billing.usedOf(used, limit)}</span>
  </li>
);

const limitsText = (l: Limits) => [
  t.billing.limitPerMonth(l.conversationsPerMonth),
  t.billing.limitChannels(l.channels),
  t.billing.limitSeats(l.seats),
];

/** Buying is offered while there is no live subscription: in the trial, after it ended, or after a cancellation. */
const canChoosePlan = (v: BillingView) => v.status === 'trialing' || v.status === 'canceled' || v.reason === 'trial_ended';

const Plans = ({ view, businessId }: { view: BillingView; businessId: string }) => {
  const checkout = useAction();
  return (
    <section class="card" aria-labelledby="plans-title">
      <h2 id="plans-title">{t.billing.choose}</h2>
      <p class="hint">{t.billing.chooseHint}</p>
      <ErrorBox error={checkout.error} />
      <ul class="plans">
        {view.plans.map((p) => (
          <li key={p.id} class="plan" data-testid={`plan-${p.id}`}>
            <h3>{p.name}</h3>
            <ul>
              {limitsText(p.limits).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {p.canBuy ? (
              <button
                type="button"
                disabled={checkout.busy}
                aria-busy={checkout.busy || undefined}
                onClick={() =>
                  void checkout.run(async () => {
                    const { url } = await data(
                      api.POST('/api/v1/businesses/{businessId}/billing/checkout', {
                        params: { path: { businessId } },
                        body: { plan: p.id },
                      }),
                    );
                    location.assign(url);
                    return t.billing.redirecting;
                  })
                }
              >
                {t.billing.buy(p.name)}
              </button>
            ) : (
              <p class="muted">{t.billing.unavailable}</p>
            )}
          </li>
        ))}
      </ul>
      {checkout.done && <Notice>{checkout.done}</Notice>}
    </section>
  );
};

const Portal = ({ businessId }: { businessId: string }) => {
  const portal = useAction();
  return (
    <section class="card" aria-labelledby="portal-title">
      <h2 id="portal-title">{t.billing.portal}</h2>
      <p class="hint">{t.billing.portalHint}</p>
      <ErrorBox error={portal.error} />
      <ActionButton
        action={portal}
        run={async () => {
          const { url } = await data(api.POST('/api/v1/businesses/{businessId}/billing/portal', { params: { path: { businessId } } }));
          location.assign(url);
          return t.billing.redirecting;
        }}
      >
        {t.billing.portal}
      </ActionButton>
      {portal.done && <Notice>{portal.done}</Notice>}
    </section>
  );
};

export const BillingSection = () => {
  const { businessId } = useBusiness();
  const { query } = useLocation();
  const billing = useAsync(() => loadBilling(businessId), [businessId]);
  if (billing.error) return <ErrorBox error={billing.error} />;
  const v = billing.value;
  if (!v) return <Loading />;
  const now = Date.now();
  const line = statusLine(v, now);
  const checkoutResult = query.get('checkout');
  return (
    <>
      {checkoutResult === 'success' && <Notice kind="success">{t.billing.checkoutSuccess}</Notice>}
      {checkoutResult === 'canceled' && <Notice>{t.billing.checkoutCanceled}</Notice>}
      {!v.isStripeConfigured && (
        <p class="alert info" data-testid="billing-local">
          {t.billing.notConfigured}
        </p>
      )}
      <section class="card" aria-labelledby="plan-title" data-testid="billing-plan">
        <h2 id="plan-title">{t.billing.plan}</h2>
        <dl class="facts">
          <div>
            <dt>{t.billing.planLabel}</dt>
            <dd>{v.plan.name}</dd>
          </div>
          <div>
            <dt>{t.billing.status}</dt>
            <dd>
              <span class={`badge ${STATUS_BADGE[v.status] ?? ''}`}>{t.billing.statuses[v.status]}</span>
            </dd>
          </div>
        </dl>
        {line && <p data-testid="billing-status">{line}</p>}
        {!v.canReply && <p class="alert warning">{t.billing.pausedNote}</p>}
      </section>
      <section class="card" aria-labelledby="usage-title">
        <h2 id="usage-title">{t.billing.usage}</h2>
        <ul class="bars usage" data-testid="billing-usage">
          <Usage label={t.billing.conversations} used={v.usage.conversations} limit={v.plan.limits.conversationsPerMonth} />
          <Usage label={t.billing.channels} used={v.usage.channels} limit={v.plan.limits.channels} />
          <Usage label={t.billing.seats} used={v.usage.seats} limit={v.plan.limits.seats} />
        </ul>
        <p class="hint">{t.billing.usagePeriod(formatDate(v.usage.periodEnd))}</p>
        {v.overLimit?.channels && (
          <p class="alert warning" data-testid="billing-over-channels">
            {t.billing.overChannels(v.overLimit.channels.used, v.overLimit.channels.limit)}
          </p>
        )}
        {v.overLimit?.seats && (
          <p class="alert warning" data-testid="billing-over-seats">
            {t.billing.overSeats(v.overLimit.seats.used, v.overLimit.seats.limit)}
          </p>
        )}
      </section>
      {v.isStripeConfigured && canChoosePlan(v) && <Plans view={v} businessId={businessId} />}
      {v.isStripeConfigured && v.hasPortal && <Portal businessId={businessId} />}
    </>
  );
};
