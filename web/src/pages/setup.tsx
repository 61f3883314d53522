/** Onboarding: the checklist of what makes LuxLeads capture leads for this business. */
import { t } from '../i18n';
import { useBusiness } from '../ui/business';
import { Page } from '../ui/page';
import { Checklist } from './checklist';

export const SetupPage = () => {
  const { businessId, isOwner } = useBusiness();
  return (
    <Page title={t.setup.title}>
      <p>{t.setup.intro}</p>
      <Checklist businessId={businessId} isOwner={isOwner} />
    </Page>
  );
};
