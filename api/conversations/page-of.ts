/**
 * findPage for models whose schema has timestamps: mongoose's inferred Model type of those does not match
 * findPage's `Model<TRaw>` parameter, so the row type is named here instead of inferred.
 */
import type { Model } from 'mongoose';
import { findPage, type FindPageOptions, type PageQuery } from '../pagination.js';

export const pageOf = <TRow>(model: unknown, filter: Record<string, unknown>, page: PageQuery, opts: FindPageOptions) =>
  findPage<unknown, TRow>(model as Model<unknown>, filter, page, opts);
