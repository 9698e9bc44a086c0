import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { ActingForView } from '@portico/shared';
import { ApiError } from '../api/client.ts';
import { ActingForContext, defaultPatient, type ActingFor } from './acting-for.ts';
import { useSession } from './session-context.ts';

/** The patient a query or mutation key is about: every patient datum's key starts with `['patients', patientId]`. */
function patientOfKey(key: QueryKey | undefined): string | null {
  return key?.[0] === 'patients' && typeof key[1] === 'string' ? key[1] : null;
}

/** Whether an answer says the record is out of reach now: a refused or unknown patient (revoked grants answer 404). */
function isRefusal(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 403);
}

/** The patient chosen, for the signed-in person it was chosen by. */
interface Chosen {
  userId: string;
  patient: ActingForView;
}

/**
 * Holds whose record the patient pages show, in memory only (a reload starts again from the person's own record). When
 * the server refuses a record the person was shown as someone else's proxy, GET /api/me is read again; if it no longer
 * lists that patient (revoked, or ended by age), their cached data is dropped, the pages go back to the default record
 * and home, and the layout says why.
 */
export function ActingForProvider({ children }: { children: ReactNode }) {
  const { state, refresh } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const user = state.status === 'signed_in' ? state.user : null;
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [lostAccessTo, setLostAccessTo] = useState<string | null>(null);
  /** A patient asked for before GET /api/me lists them (just after accepting an invitation). */
  const [wanted, setWanted] = useState<string | null>(null);

  const choices = useMemo(() => user?.actingFor ?? [], [user]);
  const fallback = user ? defaultPatient(user) : null;
  const stillChosen =
    chosen && user && chosen.userId === user.id ? choices.find((p) => p.patientId === chosen.patient.patientId) : undefined;
  const asked = wanted ? choices.find((p) => p.patientId === wanted) : undefined;
  const current = asked ?? stillChosen ?? fallback;

  // Remember whom the pages show, so a later GET /api/me without them can be told apart from a first choice.
  useEffect(() => {
    if (!user) {
      setChosen(null);
      setLostAccessTo(null);
      return;
    }
    if (chosen && chosen.userId === user.id && !choices.some((p) => p.patientId === chosen.patient.patientId)) {
      const lost = chosen.patient;
      queryClient.removeQueries({ queryKey: ['patients', lost.patientId] });
      setChosen(fallback ? { userId: user.id, patient: fallback } : null);
      if (lost.relationship !== 'self') {
        setLostAccessTo(lost.displayName);
        void navigate('/', { replace: true });
      }
      return;
    }
    if (asked) {
      setWanted(null);
      setChosen({ userId: user.id, patient: asked });
      return;
    }
    if (current && (!chosen || chosen.userId !== user.id || chosen.patient !== current)) setChosen({ userId: user.id, patient: current });
  }, [user, chosen, asked, choices, current, fallback, queryClient, navigate]);

  // A refusal of someone else's record: ask the server again whom this person acts for (the check above does the rest).
  const ownId = user?.patientId ?? null;
  const othersRef = useRef<ReadonlySet<string>>(new Set());
  othersRef.current = new Set(choices.filter((p) => p.patientId !== ownId).map((p) => p.patientId));
  useEffect(() => {
    const check = (key: QueryKey | undefined, error: unknown) => {
      const patientId = patientOfKey(key);
      if (patientId && othersRef.current.has(patientId) && isRefusal(error)) void refresh();
    };
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') check(event.query.queryKey as QueryKey, event.action.error);
    });
    return stopQueries;
  }, [queryClient, refresh]);

  // Viewing someone else's record, each page asks again whether the person still acts for them, so a revoked proxy
  // stops on their next step even where the page's data is still cached.
  const viewingOtherRef = useRef(false);
  viewingOtherRef.current = current !== null && current.relationship !== 'self';
  useEffect(() => {
    if (viewingOtherRef.current) void refresh();
  }, [pathname, refresh]);

  const choose = useCallback(
    (patientId: string) => {
      const patient = choices.find((p) => p.patientId === patientId);
      setLostAccessTo(null);
      if (!user) return Promise.resolve();
      if (patient) setChosen({ userId: user.id, patient });
      else setWanted(patientId);
      // What they may see may have changed since the page loaded (or they just accepted an invitation): ask again.
      return refresh().then(() => undefined);
    },
    [choices, user, refresh],
  );
  const dismissLostAccess = useCallback(() => setLostAccessTo(null), []);

  const value = useMemo<ActingFor>(
    () => ({
      current,
      choices,
      isOther: current !== null && current.relationship !== 'self',
      choose,
      lostAccessTo,
      dismissLostAccess,
    }),
    [current, choices, choose, lostAccessTo, dismissLostAccess],
  );
  return <ActingForContext value={value}>{children}</ActingForContext>;
}
