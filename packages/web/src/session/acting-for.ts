import { createContext, useContext } from 'react';
import type { ActingForView, DataCategory, Me } from '@portico/shared';

/**
 * Whose record the patient pages show (issue 11 §1): the person's own, or that of someone they act for (a proxy). Kept in
 * memory only, never in storage or a URL; GET /api/me's `actingFor` says who may be chosen and what each allows.
 */
export interface ActingFor {
  /** The patient the patient pages show now, or null for someone who acts for no one (staff only). */
  current: ActingForView | null;
  /** Everyone the person may choose between: their own record first, then those they act for. */
  choices: readonly ActingForView[];
  /** Whether the current patient is someone else (a proxy's view): the pages say whose record it is. */
  isOther: boolean;
  /**
   * Switches the patient pages to another patient (then the caller goes home); one GET /api/me does not list yet (an
   * invitation just accepted) is chosen once it does. Resolves when GET /api/me has been read again.
   */
  choose: (patientId: string) => Promise<void>;
  /** The name of a patient whose record the person could see until the server stopped allowing it, until dismissed. */
  lostAccessTo: string | null;
  dismissLostAccess: () => void;
}

/** React context carrying the current patient; provided once by ActingForProvider. */
export const ActingForContext = createContext<ActingFor | null>(null);

/** The current patient and the switch; throws outside ActingForProvider (a wiring bug, not a user error). */
export function useActingFor(): ActingFor {
  const value = useContext(ActingForContext);
  if (!value) throw new Error('useActingFor must be used inside ActingForProvider');
  return value;
}

/** The patient the patient pages show by default: the person's own record, else the first they act for. */
export function defaultPatient(user: Me): ActingForView | null {
  return user.actingFor.find((p) => p.relationship === 'self') ?? user.actingFor[0] ?? null;
}

/** Whether the person has more than one record to choose between, or acts only for others (the switcher shows). */
export function actsForOthers(user: Me): boolean {
  return user.actingFor.length > 1 || (user.actingFor.length === 1 && user.actingFor[0]?.relationship !== 'self');
}

/** Whether the patient's access allows reading `category` (the server checks every request again). */
export function allows(patient: ActingForView | null, category: DataCategory): boolean {
  return patient !== null && patient.access[category] !== undefined;
}

/** Whether the patient's access allows changing `category`. */
export function allowsWrite(patient: ActingForView | null, category: DataCategory): boolean {
  return patient !== null && patient.access[category] === 'write';
}
