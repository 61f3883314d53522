/** Reading and changing the current business record (PATCH sends only the fields given). */
import { api, data, type paths } from '../../api/client';
import { useAsync } from '../../ui/hooks';

export type Business = paths['/api/v1/businesses/{businessId}']['get']['responses'][200]['content']['application/json'];
export type BusinessPatch = NonNullable<paths['/api/v1/businesses/{businessId}']['patch']['requestBody']>['content']['application/json'];

export const useBusinessRecord = (businessId: string) =>
  useAsync(() => data(api.GET('/api/v1/businesses/{businessId}', { params: { path: { businessId } } })), [businessId]);

export const patchBusiness = (businessId: string, body: BusinessPatch) =>
  data(api.PATCH('/api/v1/businesses/{businessId}', { params: { path: { businessId } }, body }));
