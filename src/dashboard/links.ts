import { seg } from './api';
import type { Session } from './session';

/**
 * Where an application's pages live. An admin sees `/apps/{id}/...`; a portal session is
 * one application, so its pages sit at the top (`/endpoints`, `/messages`).
 */
export const endpointsPath = (s: Session, appId: string): string => (s.admin ? `/apps/${seg(appId)}` : '/endpoints');

export const endpointPath = (s: Session, appId: string, endpointId: string): string =>
  s.admin ? `/apps/${seg(appId)}/endpoints/${seg(endpointId)}` : `/endpoints/${seg(endpointId)}`;

export const appApi = (appId: string): string => `/api/v1/app/${seg(appId)}`;
