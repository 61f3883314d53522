/** The business the signed-in person is working on, and their role in it. */
import { membershipOf, useSession } from '../session';

export const useBusiness = () => {
  const session = useSession();
  if (session.status !== 'signed-in') throw new Error('useBusiness needs a signed-in session');
  const membership = membershipOf(session);
  return {
    businessId: session.businessId ?? '',
    businessName: membership?.businessName ?? '',
    role: membership?.role,
    isOwner: membership?.role === 'owner',
    me: session.me,
  };
};
