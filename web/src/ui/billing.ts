/** The business's billing view (plan, status, usage), read by the billing page and the layout's banner. */
import { api, data, type paths } from '../api/client';

export type BillingView = paths['/api/v1/businesses/{businessId}/billing']['get']['responses'][200]['content']['application/json'];

export const loadBilling = (businessId: string) =>
  data(api.GET('/api/v1/businesses/{businessId}/billing', { params: { path: { businessId } } }));
